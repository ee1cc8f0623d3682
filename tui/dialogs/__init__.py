"""Small modal dialogs shared by the screens."""
