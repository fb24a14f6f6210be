// On a narrow screen the main menu folds behind the "Menu" button, so the page starts at
// the top of the screen; without JavaScript the menu simply stays open.
(function () {
  function setUp() {
    var button = document.getElementById("menu-button");
    var menu = document.getElementById("main-menu");
    if (!button || !menu) {
      return;
    }
    var narrow = window.matchMedia("(max-width: 767.98px)");
    function show() {
      var open = button.getAttribute("aria-expanded") === "true";
      button.hidden = !narrow.matches;
      menu.hidden = narrow.matches && !open;
    }
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") === "true";
      button.setAttribute("aria-expanded", open ? "false" : "true");
      show();
    });
    narrow.addEventListener("change", show);
    show();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
