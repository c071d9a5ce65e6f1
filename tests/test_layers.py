"""Each app imports only the apps below it (docs/architecture.md): `conduct/lib` and the other
shared pieces at the bottom, then audit and school, then notify, work and pastoral, then
sanctions, then patrol, then reports, then the conduct project layer on top."""

import ast
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parent.parent

# What the apps share from the `conduct` package, below every app.
SHARED = (
    "conduct.lib",
    "conduct.roles",
    "conduct.env",
    "conduct.models",
    "conduct.submissions",
    "conduct.templatetags",
)
LAYERS = {
    "audit": 1,
    "accounts": 1,
    "school": 1,
    "notify": 2,
    "work": 2,
    "pastoral": 2,
    "sanctions": 3,
    "patrol": 4,
    "reports": 5,
    "privacy": 5,
    "conduct": 6,
}


def layer_of(module: str) -> int | None:
    if any(module == shared or module.startswith(shared + ".") for shared in SHARED):
        return 0
    parts = module.split(".")
    if len(parts) > 1 and parts[1] == "models":
        # Models are the shared vocabulary (a work request belongs to a placement day, a
        # placement to a student): any app may name another's. Services, selectors, policies
        # and views may use only those of the apps below.
        return 0
    return LAYERS.get(parts[0])


def imported_modules(tree: ast.AST) -> list[str]:
    """Every module an absolute import names, anywhere in the file (`from conduct import roles`
    names `conduct.roles`)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found += [f"{node.module}.{alias.name}" for alias in node.names]
    return found


def upward_imports() -> dict[str, list[str]]:
    """Modules that import an app above their own: path -> the modules imported."""
    found = {}
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            own = layer_of(".".join(relative.with_suffix("").parts))
            if own is None or "migrations" in relative.parts:
                continue
            tree = ast.parse(path.read_text(), filename=str(path))
            above = [m for m in imported_modules(tree) if (layer_of(m) or 0) > own]
            if above:
                found[relative.as_posix()] = above
    return found


class LayersTest(SimpleTestCase):
    def test_it_finds_no_app_importing_one_above_it(self):
        self.assertEqual(upward_imports(), {}, "an app imports one built on it")

    def test_it_tells_the_layers_apart(self):
        self.assertEqual(layer_of("conduct.lib.clock"), 0)
        self.assertEqual(layer_of("conduct.navigation"), 6)
        self.assertEqual(layer_of("reports.selectors.figures"), 5)
        self.assertEqual(layer_of("school.selectors"), 1)
        self.assertEqual(layer_of("sanctions.services.placements"), 3)
        self.assertEqual(layer_of("sanctions.models.PlacementDay"), 0)
        self.assertEqual(layer_of("django.db"), None)
        tree = ast.parse(
            "from conduct.lib import clock\n"
            "def f():\n"
            "    from sanctions.services import placements\n"
            "from conduct import navigation\n"
        )
        self.assertEqual(
            sorted(imported_modules(tree)),
            ["conduct.lib.clock", "conduct.navigation", "sanctions.services.placements"],
        )
