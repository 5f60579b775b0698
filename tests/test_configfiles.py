"""The export's files arranged for the preview: the tree, file kinds, where errors are fixed."""

import pytest

from planner import catalog, configfiles


def shape(nodes):
    """Return the tree as nested (name, children or href) pairs."""
    return [(n.name, shape(n.children)) if n.is_folder else (n.name, n.href) for n in nodes]


@pytest.mark.parametrize(
    ("paths", "expected"),
    [
        ([], []),
        (["README.md"], [("README.md", "?README.md")]),
        (
            ["README.md", "deploy-cli/acme/tenant.yaml", "deploy-cli/acme/config-prod.json"],
            [
                ("README.md", "?README.md"),
                (
                    "deploy-cli",
                    [
                        (
                            "acme",
                            [
                                ("tenant.yaml", "?deploy-cli/acme/tenant.yaml"),
                                ("config-prod.json", "?deploy-cli/acme/config-prod.json"),
                            ],
                        )
                    ],
                ),
            ],
        ),
        (  # a folder seen again later gathers its files in one place, in the paths' order
            ["a/x.tf", "b/y.tf", "a/z.tf"],
            [("a", [("x.tf", "?a/x.tf"), ("z.tf", "?a/z.tf")]), ("b", [("y.tf", "?b/y.tf")])],
        ),
    ],
)
def test_file_tree(paths, expected):
    assert shape(configfiles.file_tree(paths, lambda path: f"?{path}")) == expected


def test_file_tree_folders_carry_their_path():
    tree = configfiles.file_tree(["terraform/acme-eu/main.tf"])
    assert (tree[0].path, tree[0].children[0].path) == ("terraform", "terraform/acme-eu")
    assert tree[0].children[0].children[0].path == "terraform/acme-eu/main.tf"


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("deploy-cli/acme/tenant.yaml", "Deploy CLI resources (YAML)"),
        ("deploy-cli/acme/config-dev.json", "Deploy CLI settings (JSON)"),
        ("terraform/acme/main.tf", "Terraform"),
        ("terraform/acme/prod.tfvars", "Terraform variables"),
        ("README.md", "Markdown"),
        ("LICENSE", ""),
    ],
)
def test_file_kind(path, kind):
    assert configfiles.file_kind(path) == kind


def test_file_text_never_fails_on_bytes_that_are_not_utf8():
    assert configfiles.file_text("Zürich\n".encode()) == "Zürich\n"
    assert configfiles.file_text(b"a\xffb") == "a\ufffdb"


PREFIX = catalog.QUESTIONS["tenant_prefix"]
ROSTER = catalog.QUESTIONS["customers"]


@pytest.mark.parametrize(
    ("error", "section", "question"),
    [
        (
            f"Customers: “{ROSTER.label}”: Row 1 (Contoso), slug: too long.",
            "customers",
            "customers",
        ),
        ("Context: 2 questions not answered yet: “Company name”.", "context", ""),
        (f"Context: 1 question not answered yet: “{PREFIX.label}”.", "context", "tenant_prefix"),
        (
            "The plan has no tenants yet: set the tenant prefix in the questionnaire.",
            "context",
            "tenant_prefix",
        ),
        (
            "The application name “<b> app” contains “<”: change the company name in the "
            "questionnaire.",
            "context",
            "company_name",
        ),
        (
            "The connection name “x” (tenant acme) is not one Auth0 accepts: use letters (change "
            "the customer's slug in the roster).",
            "customers",
            "customers",
        ),
        ("A connection name is over 128 characters.", None, ""),
        ("customers: lower-case is not a section title", None, ""),
    ],
)
def test_fix_for(error, section, question):
    fix = configfiles.fix_for(error)
    assert (fix.section.key if fix else None, fix.question if fix else "") == (section, question)


def test_fold_keeps_only_the_chosen_files_folders_open():
    tree = configfiles.file_tree(
        ["README.md", "deploy-cli/a/tenant.yaml", "deploy-cli/b/tenant.yaml", "terraform/a/main.tf"]
    )
    configfiles.fold(tree, "deploy-cli/b/tenant.yaml")
    folders = {}

    def walk(nodes):
        for node in nodes:
            if node.is_folder:
                folders[node.path] = node.open
                walk(node.children)

    walk(tree)
    assert folders == {
        "deploy-cli": True,
        "deploy-cli/a": False,
        "deploy-cli/b": True,
        "terraform": False,
        "terraform/a": False,
    }
