/* Customer roster table: propose each row's slug from its name while the architect types, as
 * the server does when the slug is left empty (planner.roster.propose_slug: accents dropped,
 * lowercase, runs of other characters as one "-", trimmed, at most 50 characters). The proposal
 * is shown as the slug field's placeholder; a typed slug always wins. Progressive enhancement:
 * without this file the server proposes the same slug on save. */
(function () {
  "use strict";

  var table = document.querySelector(".roster-table");
  if (!table) {
    return;
  }

  function proposeSlug(name) {
    var folded = name.normalize("NFKD").replace(/\p{M}/gu, "");
    var slug = folded.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    return slug.slice(0, 50).replace(/-+$/, "");
  }

  table.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.id || !/-name$/.test(input.id)) {
      return;
    }
    var slug = document.getElementById(input.id.replace(/-name$/, "-slug"));
    if (slug) {
      slug.placeholder = proposeSlug(input.value);
    }
  });
})();
