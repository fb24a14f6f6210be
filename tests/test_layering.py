"""The apps sit in layers (DESIGN.md section 4): school <- notifications <- homework <-
sanctions; clubs uses homework; parents reads them all. An app imports nothing of the
apps above it, and `school` and `notifications` name nothing of theirs as text either:
no URL name, no notification kind, no model, no module or template path. The apps above
register what they add instead (school/navigation.py, school/panels.py,
notifications/registry.py). And no two modules of the project import each other,
directly or round a longer loop."""

import ast
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.template.loader import get_template
from django.urls import URLPattern, URLResolver, get_resolver

from notifications import registry

BASE = Path(settings.BASE_DIR)
# Each app and the apps it may import.
LOWER = {
    "school": set(),
    # Data protection: each app above registers its records (privacy/registry.py).
    "privacy": {"school"},
    "notifications": {"school", "privacy"},
    "homework": {"school", "privacy", "notifications"},
    "sanctions": {"school", "privacy", "notifications", "homework"},
    "clubs": {"school", "privacy", "notifications", "homework"},
    "parents": {"school", "privacy", "notifications", "homework", "sanctions", "clubs", "mis"},
    # Imports from the MIS and the new academic year: it emails summaries.
    "mis": {"school", "privacy", "notifications"},
    # The half-term report reads every app below it; nothing imports it.
    # Parent voice: consultations of families, above the parents' portal it adds to.
    "consultations": {"school", "privacy", "notifications", "parents"},
    "reports": {
        "school",
        "privacy",
        "notifications",
        "homework",
        "sanctions",
        "clubs",
        "parents",
        "consultations",
    },
    # Signing in with the school's account: it matches people of `school`, and tells
    # privacy about the accounts it links.
    "sso": {"school", "privacy"},
}
# The two that must not even name the apps above them, and their templates (the
# project's own pages, base.html among them, belong with school).
NAMING_NOTHING_ABOVE = {
    "school": [
        "templates/school",
        "templates/registration",
        "templates/bootstrap5",
        "templates/*.html",
    ],
    "notifications": ["templates/notifications"],
    "privacy": ["templates/privacy"],
}
PROJECT = [*LOWER, "homework_mgmt", "tests"]


def _above(app):
    return {other for other in LOWER if other != app and other not in LOWER[app]}


def _python_files(package):
    for file in sorted((BASE / package).rglob("*.py")):
        if "migrations" not in file.parts:  # history: they record what the code once was
            yield file


def _module_name(file):
    parts = file.relative_to(BASE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_only(tree):
    """The imports under `if TYPE_CHECKING:`: read by type checkers, never run."""
    return {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If)
        and "TYPE_CHECKING" in {getattr(node.test, "id", None), getattr(node.test, "attr", None)}
        for statement in node.body
        for inner in ast.walk(statement)
    }


def _imports(file, modules):
    """The project modules `file` imports, wherever in it (a function's import too), but
    for type checkers only."""
    name = _module_name(file)
    package = name if file.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(file.read_text(encoding="utf-8"))
    type_only = _type_only(tree)
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                yield node.lineno, target


def _project_modules():
    return {_module_name(file): file for package in PROJECT for file in _python_files(package)}


def test_no_app_imports_an_app_above_it():
    modules = _project_modules()
    wrong = [
        f"{file.relative_to(BASE)}:{line} imports {target}"
        for app in LOWER
        for file in _python_files(app)
        for line, target in _imports(file, modules)
        if target.split(".")[0] in _above(app)
    ]
    assert wrong == []


def test_no_two_modules_import_each_other():
    modules = _project_modules()
    graph = {name: {t for _line, t in _imports(file, modules)} for name, file in modules.items()}
    cycles = []
    # Tarjan's strongly connected components, iteratively: a component of more than one
    # module is a cycle.
    index, low, stack, on_stack, counter = {}, {}, [], set(), [0]
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    cycles.append(sorted(component))
    assert cycles == []


# Naming


def _url_names(resolver):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _url_names(entry)
        elif isinstance(entry, URLPattern) and entry.name:
            yield entry.name, entry.callback.__module__.split(".")[0]


def _names_of(apps_above):
    """The URL names, notification kinds and models ("app.Model") of these apps."""
    urls = {name for name, app in _url_names(get_resolver()) if app in apps_above}
    kinds = {k.code for k in registry.kinds() if k.templates.split("/")[0] in apps_above}
    models = {
        f"{model._meta.app_label}.{model.__name__}"
        for model in apps.get_models()
        if model._meta.app_label in apps_above
    }
    return urls, kinds, models


def _literals(file):
    """The string literals of a module, leaving out docstrings (prose about the design)."""
    tree = ast.parse(file.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        text = node.value if isinstance(node, ast.Constant) else None
        if isinstance(text, str) and id(node) not in docstrings:
            yield node.lineno, text


def _python_naming(app, apps_above):
    urls, kinds, models = _names_of(apps_above)
    paths = tuple(f"{other}{sep}" for other in apps_above for sep in "./")
    admin = tuple(f"admin:{other}_" for other in apps_above)
    for file in _python_files(app):
        for line, text in _literals(file):
            if text in urls or text in kinds or text in models or text.startswith(paths + admin):
                yield f"{file.relative_to(BASE)}:{line} names {text!r}"


def _template_files(places):
    for place in places:
        yield from sorted(BASE.glob(place) if "*" in place else (BASE / place).rglob("*.*"))


URL_TAG = re.compile(r"{%\s*url\s+['\"]([^'\"]+)['\"]")
PATH_TAG = re.compile(r"{%\s*(?:extends|include)\s+['\"]([^'\"]+)['\"]")


def _template_naming(app, apps_above):
    urls, kinds, _models = _names_of(apps_above)
    for file in _template_files(NAMING_NOTHING_ABOVE[app]):
        text = file.read_text(encoding="utf-8")
        where = file.relative_to(BASE)
        for name in URL_TAG.findall(text):
            if name in urls:
                yield f"{where} links to {name!r}"
        for path in PATH_TAG.findall(text):
            if path.split("/")[0] in apps_above:
                yield f"{where} uses {path!r}"
        for kind in kinds:
            if re.search(rf"\b{kind}\b", text):
                yield f"{where} names the kind {kind!r}"


def test_school_and_notifications_name_nothing_of_the_apps_above_them():
    wrong = [
        found
        for app in NAMING_NOTHING_ABOVE
        for found in [*_python_naming(app, _above(app)), *_template_naming(app, _above(app))]
    ]
    assert wrong == []


def test_the_naming_check_finds_what_it_looks_for():
    # The check itself: the names it looks for are there to be found.
    urls, kinds, models = _names_of(_above("notifications"))
    assert {"sanctions_commend", "parents_overview", "clubs_home", "planner"} <= urls
    assert {"sanctions_due", "detention_booked", "weekly_digest"} & kinds == {
        "detention_booked",
        "weekly_digest",
    }
    assert "club_session_cancelled" in kinds and "commendation" not in kinds  # its own
    assert {"sanctions.Miss", "clubs.Club", "parents.Agreement"} <= models
    found = list(URL_TAG.findall("{% url 'sanctions_commend' pupil.pk %}"))
    assert found == ["sanctions_commend"]


def test_every_kind_has_its_three_templates_in_its_apps_folder():
    for kind in registry.kinds():
        app, folder = kind.templates.split("/", 1)
        assert apps.is_installed(app) and folder == "email", kind.code
        for suffix in ("_subject.txt", ".txt", ".html"):
            get_template(kind.template(suffix))
