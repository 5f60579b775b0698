/* Checklist enhancement: a ticked or unticked box saves by itself, so the Save buttons hide.
 * Progressive enhancement only: without this file each item's Save button posts the same form. */
(function () {
  "use strict";

  var forms = document.querySelectorAll("form.checklist-item");
  Array.prototype.forEach.call(forms, function (form) {
    var box = form.querySelector('input[type="checkbox"][name="done"]');
    var button = form.querySelector(".checklist-save");
    if (!box || !button) {
      return;
    }
    button.hidden = true;
    box.addEventListener("change", function () {
      if (form.requestSubmit) {
        form.requestSubmit();
      } else {
        form.submit();
      }
    });
  });
})();
