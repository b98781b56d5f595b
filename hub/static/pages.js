// Small conveniences on top of pages that work without script.
// A form marked data-autosubmit sends itself when one of its filters changes; its
// buttons stay for browsers without script.
for (const form of document.querySelectorAll("form[data-autosubmit]")) {
  form.addEventListener("change", (event) => {
    if (event.target.matches("[data-filter]")) form.requestSubmit();
  });
}
// A block of filters marked data-fold starts folded on a narrow screen, so that the
// results come first.
if (window.matchMedia("(max-width: 48rem)").matches) {
  for (const block of document.querySelectorAll("details[data-fold]")) block.open = false;
}
