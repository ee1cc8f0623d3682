"""The location tree: arrows to move, space to open or close a branch, Enter to open a location.

F2 creates a location under the highlighted one (on the top line: a new
warehouse or view), F3 edits the highlighted one. Scanning a location's label
opens it.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Label, Tree
from textual.widgets.tree import TreeNode
from textual.worker import Worker, WorkerState

from store.errors import StockError
from store.location_edit import LocationNode, location_tree
from store.locations import find_location
from store.models import Location
from tui.literal import literal
from tui.permissions import permitted
from tui.scanning import Scanned, scan_text
from tui.screens.location import LocationScreen
from tui.screens.location_form import EditLocationScreen, NewLocationScreen
from tui.widgets.top_bar import TopBar

OPEN_ALL = 60
"""A tree of up to this many locations opens fully; a larger one down to the warehouses' parts."""


def node_label(node: LocationNode) -> Text:
    """A location in the tree: its code, then its name when it says more; inactive ones dimmed."""
    style = "" if node.active else "dim"
    text = literal(node.code, style=f"bold {style}".strip())
    if node.name and node.name != node.code:
        text.append(" ")
        text.append_text(literal(node.name, style=style))
    if not node.active:
        text.append(" (inactive)", style="dim")
    return text


class LocationsScreen(Screen[None]):
    """The location tree (see ``OPEN_ALL`` for how far it opens); Enter opens the highlighted location."""

    CSS_PATH = "locations.tcss"
    AUTO_FOCUS = "#locations-tree"
    BINDINGS = [
        Binding("f2,n", "new_child", "New child"),
        Binding("f3,e", "edit", "Edit"),
        Binding("f5,r", "reload", "Reload", show=False),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._highlight: int | None = None

    def compose(self) -> ComposeResult:
        yield TopBar("Locations")
        tree: Tree[int | None] = Tree("Locations", data=None, id="locations-tree")
        tree.auto_expand = False  # Enter opens a location; space opens or closes a branch
        yield tree
        yield Label("Loading...", id="locations-status", markup=False)
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="tree")
    def load(self) -> list[LocationNode]:
        """Read the whole tree (in a thread)."""
        try:
            return location_tree()
        finally:
            self.app.store.close()

    @work(thread=True, exclusive=True, exit_on_error=False, group="scan")
    def _find(self, text: str) -> int | None:
        try:
            location = find_location(text)
            return None if location is None else location.id
        finally:
            self.app.store.close()

    @work(thread=True, exclusive=True, exit_on_error=False, group="get")
    def _fetch(self, location_id: int, then: str) -> tuple[Location, str]:
        try:
            return Location.get_by_id(location_id), then
        finally:
            self.app.store.close()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Show the tree, or open what a scan named, or why a read failed."""
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self._status(literal(str(error) if isinstance(error, StockError) else f"Failed: {error}", "bold red"))
            return
        if event.state != WorkerState.SUCCESS:
            return
        if event.worker.group == "tree":
            self._fill(event.worker.result)
        elif event.worker.group == "scan":
            if event.worker.result is None:
                self._status(literal("No location has that label", "bold red"))
                self.app.bell()
            else:
                self._select(event.worker.result)
                self.open(event.worker.result)
        elif event.worker.group == "get":
            location, then = event.worker.result
            if then == "edit":
                self.app.push_screen(EditLocationScreen(location), self._saved)
            else:
                self.app.push_screen(NewLocationScreen(location), self._created)

    def _status(self, text: Text) -> None:
        self.query_one("#locations-status", Label).update(text)

    def _fill(self, nodes: list[LocationNode]) -> None:
        tree: Tree[int | None] = self.query_one("#locations-tree", Tree)
        tree.clear()
        made: dict[int, TreeNode[int | None]] = {}
        parents = {node.parent_id for node in nodes}
        open_all = len(nodes) <= OPEN_ALL
        for node in nodes:
            parent = made.get(node.parent_id, tree.root) if node.parent_id is not None else tree.root
            if node.id in parents:
                expand = open_all or node.type in ("view", "warehouse")
                made[node.id] = parent.add(node_label(node), data=node.id, expand=expand)
            else:
                made[node.id] = parent.add_leaf(node_label(node), data=node.id)
        tree.root.expand()
        self._status(Text(f"{len(nodes)} locations · Enter opens · space folds"))
        if self._highlight is not None:
            self._select(self._highlight)

    def _select(self, location_id: int) -> None:
        """Highlight a location, opening the branches above it."""
        tree: Tree[int | None] = self.query_one("#locations-tree", Tree)
        found = next((n for n in _walk(tree.root) if n.data == location_id), None)
        if found is None:
            return
        parent = found.parent
        while parent is not None:
            parent.expand()
            parent = parent.parent
        # By line, not move_cursor(found): a node's line is known only once the tree has drawn, which a screen
        # that is not shown yet has not; asking for the lines lays them out.
        line = next((i for i in range(tree.last_line + 1) if tree.get_node_at_line(i) is found), None)
        if line is not None:
            tree.move_cursor_to_line(line)

    @on(Tree.NodeSelected, "#locations-tree")
    def _chosen(self, event: Tree.NodeSelected) -> None:
        event.stop()
        if event.node.data is not None:
            self.open(event.node.data)

    def open(self, location_id: int) -> None:
        """Show a location."""
        self._highlight = location_id
        self.app.push_screen(LocationScreen(location_id), lambda _: self.load())

    def _highlighted(self) -> int | None:
        node = self.query_one("#locations-tree", Tree).cursor_node
        return None if node is None else node.data

    def action_new_child(self) -> None:
        """Create a location under the highlighted one (on the top line: at the top of the tree)."""
        if not permitted(self, "manage_locations"):
            return
        location_id = self._highlighted()
        if location_id is None:
            self.app.push_screen(NewLocationScreen(None), self._created)
        else:
            self._fetch(location_id, "new")

    def action_edit(self) -> None:
        """Edit the highlighted location."""
        if not permitted(self, "manage_locations"):
            return
        location_id = self._highlighted()
        if location_id is not None:
            self._fetch(location_id, "edit")

    def _created(self, location_id: int | None) -> None:
        if location_id is not None:
            self._highlight = location_id
            self.load()

    def _saved(self, result: object) -> None:
        if result is not None:
            self.load()

    def on_scan(self, scan: Scanned) -> None:
        """A location's label: open it."""
        self._find(scan_text(scan))

    def action_reload(self) -> None:
        """Read the tree again."""
        self.load()

    def action_back(self) -> None:
        """Back to the home screen."""
        self.dismiss(None)


def _walk(node: TreeNode[int | None]):
    yield node
    for child in node.children:
        yield from _walk(child)
