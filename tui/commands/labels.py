"""``stockroom labels``: product and location labels as SVG, PNG or ZPL files, or sent to a label printer."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from devices.printer import PrinterError, send_to_printer
from store.labels import FORMATS, KINDS, check_options, labels_for, write_label_files
from store.zpl import zpl_document
from tui.commands.common import store_from_args


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``labels`` subcommand."""
    parser = subparsers.add_parser(
        "labels",
        help="write product or location labels (SVG, PNG, ZPL) or print them on a label printer",
        description=(
            "Labels with a barcode, its code and the name: EAN-13/EAN-8/UPC-A for GTINs, ITF-14 for case "
            "GTINs, Code 128 for location barcodes and product codes. No CODES: every active stock-kept "
            "product, or every active location that is not virtual. A GTIN with a wrong check digit is refused."
        ),
    )
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("codes", nargs="*", metavar="CODES", help="product or location codes (default: all)")
    parser.add_argument("--copies", type=int, default=1, metavar="N", help="labels of each (default 1)")
    parser.add_argument("--format", choices=FORMATS, default="svg", help="file format (default svg)")
    parser.add_argument("-o", "--output", metavar="DIR", type=Path, help="directory to write the files into")
    parser.add_argument(
        "--sheet", action="store_true", help="SVG/PNG: A4 pages of 24 labels instead of one file each"
    )
    parser.add_argument(
        "--printer",
        metavar="ADDRESS",
        help="ZPL: send to this printer (tcp://host:9100, host:port, a serial port or pyserial URL)",
    )
    parser.set_defaults(handler=run_labels, parser=parser)


def run_labels(args: argparse.Namespace) -> int:
    """Gather the labels, write them into ``-o DIR`` and/or send them to ``--printer``; prints each file."""
    if args.output is None and args.printer is None:
        args.parser.error("give -o DIR, or --printer ADDRESS with --format zpl")
    if args.printer is not None and args.format != "zpl":
        args.parser.error("--printer takes --format zpl")
    check_options(args.copies, args.format, args.sheet)
    store = store_from_args(args)
    try:
        labels = labels_for(store, args.kind, args.codes)
    finally:
        store.close()
    if not labels:
        print(f"stockroom: no {args.kind} to label", file=sys.stderr)
        return 0
    if args.output is not None:
        for path in write_label_files(
            labels, args.kind, copies=args.copies, fmt=args.format, out_dir=args.output, sheet=args.sheet
        ):
            print(path)
    if args.printer is not None:
        try:
            send_to_printer(args.printer, zpl_document(labels, args.copies))
        except PrinterError as error:
            print(f"stockroom: {error}", file=sys.stderr)
            return 1
        print(f"sent {len(labels)} labels x {args.copies} to {args.printer}")
    return 0
