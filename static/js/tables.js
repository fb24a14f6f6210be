// A table too wide for the screen scrolls sideways inside its .table-responsive box. So
// that keyboard users can scroll it too, such a box becomes a named region that takes
// focus (tabindex 0), and stops being one when the screen is wide enough again.
(function () {
  function nameOf(box) {
    var caption = box.querySelector("caption");
    var section = box.closest("section");
    var heading = section && section.querySelector("h1, h2, h3, h4");
    var text = (caption || heading || { textContent: "" }).textContent;
    return text.replace(/\s+/g, " ").trim() || "Table";
  }

  function update() {
    var boxes = document.querySelectorAll(".table-responsive");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      if (box.scrollWidth > box.clientWidth) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", nameOf(box));
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    }
  }

  var pending = false;
  function later() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        update();
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
  window.addEventListener("resize", later);
  // htmx swaps in new tables (filters, fragments).
  document.addEventListener("htmx:afterSettle", update);
})();
