"""One way for an app to contribute to a shared page or job: a module of a known name.

An app that adds navigation entries has `navigation.py`, one that adds entries to a
youth's timeline has `timeline.py`, one that adds demo data has `seed.py`. The shared
code asks for every installed app's module of that name, in INSTALLED_APPS order (the
order the apps depend on each other), instead of a hand-kept list of app names.

Django's `module_has_submodule` tells a missing module from one that fails to import:
an error inside an app's module is raised, never swallowed.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.utils.module_loading import module_has_submodule


@cache
def app_modules(name: str) -> tuple[ModuleType, ...]:
    """Each installed app's `<app>.<name>` module, in INSTALLED_APPS order."""
    return tuple(
        import_module(f"{config.name}.{name}")
        for config in apps.get_app_configs()
        if module_has_submodule(config.module, name)
    )
