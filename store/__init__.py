"""The stock ledger: products, units, locations, moves and the rules that keep them right.

Knows nothing of Textual or serial ports; open it with ``store.database.open_store``.
"""
