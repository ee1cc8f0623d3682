"""Labels from the product and location screens (F8): files in a folder, or ZPL sent to a label printer.

Where they go is the terminal's setting, not a question on a 20-column
screen: the ``[labels]`` table of ``stockroom.toml`` (``folder``, ``format``
svg/png/zpl, ``printer`` a ZPL printer's address), else SVG files in the
``labels`` folder of the user's data directory.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir
from textual.screen import Screen

from devices.printer import PrinterError, send_to_printer
from store.errors import InvalidValue, StockError
from store.labels import FORMATS, labels_for, write_label_files
from store.zpl import zpl_document
from tui.wording import counted


@dataclass(frozen=True)
class LabelOutput:
    """Where F8 puts labels: ``folder`` (files in ``fmt``), and ``printer`` too when set (ZPL)."""

    folder: Path
    fmt: str = "svg"
    printer: str | None = None


def label_output(table: dict) -> LabelOutput:
    """The ``[labels]`` table of the config file as a ``LabelOutput``; refuses a wrong format."""
    fmt = str(table.get("format", "zpl" if table.get("printer") else "svg"))
    if fmt not in FORMATS:
        raise InvalidValue(f"[labels] format {fmt!r} is not one of {', '.join(FORMATS)}")
    folder = Path(str(table.get("folder") or Path(user_data_dir("stockroom", appauthor=False)) / "labels"))
    printer = table.get("printer")
    if printer is not None and fmt != "zpl":
        raise InvalidValue("[labels] printer takes format = \"zpl\"")
    return LabelOutput(folder.expanduser(), fmt, str(printer) if printer else None)


def print_labels(screen: Screen, kind: str, code: str) -> None:
    """Write (and print) the labels of one product or location in a thread; the screen is told the outcome."""
    app = screen.app
    output: LabelOutput = app.labels

    def job() -> None:
        try:
            labels = labels_for(app.store, kind, [code])
            files = write_label_files(labels, kind, copies=1, fmt=output.fmt, out_dir=output.folder, sheet=False)
            if output.printer is not None:
                send_to_printer(output.printer, zpl_document(labels, 1))
                done = f"{counted(len(labels), 'label')} sent to {output.printer}"
            else:
                more = f" and {len(files) - 1} more" if len(files) > 1 else ""
                done = f"{counted(len(labels), 'label')} written: {files[0]}{more}"
        except (StockError, PrinterError, OSError) as error:
            app.call_from_thread(app.bell)
            app.call_from_thread(screen.notify, str(error), title="Labels", severity="error", markup=False)
            return
        app.call_from_thread(screen.notify, done, title="Labels", markup=False)

    screen.run_worker(job, thread=True, group="labels", exit_on_error=False)
