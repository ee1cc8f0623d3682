"""Refusing on screen, before a form is filled in, what the logged-in operator may not do."""

from __future__ import annotations

from textual.screen import Screen

from store.operators import NotAllowed, require


def permitted(screen: Screen, permission: str) -> bool:
    """True if the app's operator may do ``permission``; otherwise rings, says why, and returns False.

    The store refuses the same at saving time; asking first spares the worker a form that cannot be saved.
    """
    try:
        require(screen.app.store, permission)
    except NotAllowed as refusal:
        screen.app.bell()
        screen.notify(str(refusal), severity="error", markup=False)
        return False
    return True
