// The report's "Print" button (hidden until this script shows it, since without
// JavaScript it could do nothing: the browser's own Print still uses the print layout).
// On paper every measure's definition is shown: closed <details> are opened for printing
// and closed again afterwards.
(function () {
  var opened = [];

  function openAll() {
    opened = [];
    var boxes = document.querySelectorAll("details[data-print-open]");
    for (var i = 0; i < boxes.length; i++) {
      if (!boxes[i].open) {
        boxes[i].open = true;
        opened.push(boxes[i]);
      }
    }
  }

  function closeAgain() {
    for (var i = 0; i < opened.length; i++) {
      opened[i].open = false;
    }
    opened = [];
  }

  window.addEventListener("beforeprint", openAll);
  window.addEventListener("afterprint", closeAgain);

  var buttons = document.querySelectorAll("[data-print-button]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener("click", function () {
      window.print();
    });
  }
})();
