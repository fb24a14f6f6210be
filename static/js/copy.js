// A "Copy" button beside a read-only address: hidden until this script runs (the page
// works without it: the address can be selected and copied by hand), then copies the
// address of the field its data-copy names and says so in its status line.
(function () {
  var buttons = document.querySelectorAll("button[data-copy]");
  for (var i = 0; i < buttons.length; i++) {
    (function (button) {
      var field = document.getElementById(button.getAttribute("data-copy"));
      var status = document.getElementById(button.getAttribute("data-copy-status"));
      if (!field) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        var done = function () {
          if (status) {
            status.textContent = button.getAttribute("data-copied");
          }
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(field.value).then(done, function () {
            field.select();
          });
        } else {
          field.select();
          document.execCommand("copy");
          done();
        }
      });
    })(buttons[i]);
  }
})();
