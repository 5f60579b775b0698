/* Configuration preview: a Copy button for the file shown. Progressive enhancement only:
 * without this file the button stays hidden and the text can be selected and copied by hand. */
(function () {
  "use strict";

  var button = document.querySelector("button[data-copy-target]");
  if (!button) {
    return;
  }
  var source = document.getElementById(button.getAttribute("data-copy-target"));
  var status = document.getElementById(button.getAttribute("data-copy-status"));
  if (!source || !status) {
    return;
  }

  // Emptied first, so a second copy is announced again by screen readers.
  function say(message) {
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = message;
    }, 100);
  }

  // Without the Clipboard API (a page served over plain HTTP), select the text and ask the
  // browser to copy the selection.
  function copyBySelection() {
    var range = document.createRange();
    range.selectNodeContents(source);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    say(copied ? "Copied." : "Text selected: press Ctrl+C (⌘C on a Mac) to copy it.");
  }

  button.hidden = false;
  button.addEventListener("click", function () {
    var text = source.textContent;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { say("Copied."); },
        copyBySelection
      );
    } else {
      copyBySelection();
    }
  });
})();
