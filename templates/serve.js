// cydcheck serve: optional enhancement of the upload form. A file dropped anywhere on the page (the report
// included) is put in the file input and the form is submitted; the button says "Checking…" until the
// answer comes. Without scripts the form works as it is.
document.addEventListener("DOMContentLoaded", function () {
  var zone = document.getElementById("drop");
  var input = document.getElementById("file");
  var form = document.getElementById("upload");
  var button = document.getElementById("check");
  if (!zone || !input || !form || !button) { return; }
  var label = button.textContent;
  function busy(on) {
    button.disabled = on;
    button.textContent = on ? "Checking\u2026" : label;
  }
  function send() {
    busy(true);
    form.submit();  // submit() fires no submit event
  }
  form.addEventListener("submit", function () { busy(true); });
  window.addEventListener("pageshow", function () { busy(false); });  // back to a page kept in memory
  // While a file is dragged, the report's frame lets the drag through to this page (a drop on the frame
  // would otherwise be the browser's: it opens or downloads the file, and the report is gone).
  function dragging(on) {
    zone.classList.toggle("over", on);
    document.body.classList.toggle("dragging", on);
  }
  ["dragenter", "dragover"].forEach(function (type) {
    document.addEventListener(type, function (event) { event.preventDefault(); dragging(true); });
  });
  document.addEventListener("dragleave", function (event) {
    // only when the drag leaves the window: between two elements of the page (some browsers give no
    // relatedTarget then) the frame must keep letting it through
    var x = event.clientX, y = event.clientY;
    if (!event.relatedTarget && (x <= 0 || y <= 0 || x >= window.innerWidth || y >= window.innerHeight)) {
      dragging(false);
    }
  });
  document.addEventListener("drop", function (event) {
    event.preventDefault();
    dragging(false);
    if (event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      send();
    }
  });
});
