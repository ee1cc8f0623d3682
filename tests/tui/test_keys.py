"""The key convention (docs/keys.md), checked on every screen and dialog class there is, including ones added later.

Each test walks the modules under ``tui/screens`` and ``tui/dialogs``, so a new
screen is held to the convention without being listed here.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from textual.binding import Binding
from textual.screen import Screen

import tui.dialogs
import tui.screens
from tui.app import StockroomApp
from tui.screens.help import HelpScreen, class_bindings

FUNCTION_KEYS = {f"f{n}" for n in range(1, 13)}
NAVIGATION = {"enter", "space", "up", "down", "left", "right", "pageup", "pagedown", "home", "end", "tab", "shift+tab"}
"""Keys that move or open what is highlighted: an RF keypad has them, so a hidden binding may use them alone."""


def screen_classes() -> list[type[Screen]]:
    """Every Screen subclass defined in a module under tui/screens or tui/dialogs."""
    found: dict[str, type[Screen]] = {}
    for package in (tui.screens, tui.dialogs):
        for module_info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            module = importlib.import_module(module_info.name)
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, Screen) and cls.__module__ == module.__name__:
                    found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return [found[name] for name in sorted(found)]


SCREENS = screen_classes()


def test_the_walk_finds_the_screens():
    names = {cls.__name__ for cls in SCREENS}
    assert {"CountScreen", "ReceivingScreen", "PickScreen", "HelpScreen", "ConfirmDialog", "PromptDialog"} <= names


def keys_by_action(cls: type[Screen]) -> dict[str, tuple[set[str], list[Binding]]]:
    actions: dict[str, tuple[set[str], list[Binding]]] = {}
    for binding in class_bindings(cls):
        keys, bindings = actions.setdefault(binding.action, (set(), []))
        keys.add(binding.key)
        bindings.append(binding)
    return actions


def missing_function_keys(cls: type[Screen]) -> list[str]:
    """The actions of ``cls`` that break the rule: a shown action has an F-key (or Esc, for back); a hidden one
    may make do with a navigation key."""
    missing = []
    for action, (keys, bindings) in keys_by_action(cls).items():
        if keys & FUNCTION_KEYS or "escape" in keys:
            continue
        shown = any(binding.show and binding.description for binding in bindings)
        if shown or not keys <= NAVIGATION:
            missing.append(f"{action} ({', '.join(sorted(keys))})")
    return missing


@pytest.mark.parametrize("cls", SCREENS, ids=lambda cls: cls.__name__)
def test_every_action_has_a_function_key(cls):
    missing = missing_function_keys(cls)
    assert not missing, f"{cls.__name__}: no function key for {missing}; see docs/keys.md"


def test_the_rule_catches_a_letter_only_action():
    class Sloppy(Screen):
        BINDINGS = [Binding("d", "delete", "Delete"), Binding("enter", "open", "Open", show=False),
                    Binding("x", "secret", "Secret", show=False), Binding("f6,p", "post", "Post")]

    Sloppy.__module__ = "tui.screens.sloppy"  # as if it lived there
    assert missing_function_keys(Sloppy) == ["delete (d)", "secret (x)"]


@pytest.mark.parametrize("cls", SCREENS, ids=lambda cls: cls.__name__)
def test_function_keys_keep_their_meaning(cls):
    """F1 is help everywhere (only the help box itself takes it, to close); no key does two things on one screen."""
    seen: dict[str, str] = {}
    for binding in class_bindings(cls):
        if binding.key == "f1":
            assert cls is HelpScreen, f"{cls.__name__} binds F1, which is help on every screen"
        previous = seen.setdefault(binding.key, binding.action)
        assert previous == binding.action, f"{cls.__name__}: {binding.key} is bound to {previous} and {binding.action}"


@pytest.mark.parametrize("cls", SCREENS, ids=lambda cls: cls.__name__)
def test_esc_goes_back(cls):
    """Every screen but the home screen leaves with Esc (back, cancel or close)."""
    if cls in StockroomApp.MODES.values():
        return
    assert any(binding.key == "escape" for binding in class_bindings(cls)), f"{cls.__name__} has no Esc"


def test_the_app_keeps_f1_for_help():
    bindings = Binding.make_bindings(StockroomApp.BINDINGS)
    assert [binding.action for binding in bindings if binding.key == "f1"] == ["help"]
