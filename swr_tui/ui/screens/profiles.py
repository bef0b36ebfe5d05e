"""``p``: switch to another config.toml profile or region without restarting.

The new connection is tried (its namespaces listed) before the app moves to it, so a typo'd
profile or refused credentials leave the app where it was, with the reason on this screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Optional, Union

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...safe_text import scrub
from ...settings.profiles import Connection, PasswordNeeded, ProfileChoice, RegionChoice, Switcher
from ...swr.errors import AuthenticationError, ConfigurationError, SwrError
from ..worker_errors import ReportsWorkerFailures

Choice = Union[ProfileChoice, RegionChoice]
HINT = "enter switch · type to narrow · ctrl+s save this connection as a profile · ctrl+d make default · esc"
DEMO_HINT = "enter switch · type to narrow · esc close"


@dataclass(frozen=True)
class Switched:
    """What the app needs to move: the new client and the namespaces it already listed."""

    connection: Connection
    namespaces: list[Any]


class ProfileScreen(ReportsWorkerFailures, ModalScreen[Optional[Switched]]):
    DEFAULT_CSS = """
    ProfileScreen {
        align: center middle;
    }
    ProfileScreen #profiles-dialog {
        width: 100;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        padding: 0 1;
        border: thick $accent;
        background: $surface;
    }
    ProfileScreen #profiles-title {
        text-style: bold;
    }
    ProfileScreen #profiles-options {
        height: auto;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        max-height: 55vh;
    }
    ProfileScreen #profiles-prompt {
        display: none;
    }
    ProfileScreen #profiles-prompt.-visible {
        display: block;
    }
    ProfileScreen #profiles-message {
        height: auto;
    }
    ProfileScreen #profiles-hint {
        color: $text-muted;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("down", "move(1)", "Down", show=False),
        Binding("up", "move(-1)", "Up", show=False),
        Binding("pagedown", "move(10)", "Page down", show=False),
        Binding("pageup", "move(-10)", "Page up", show=False),
        # Priority: the filter and prompt inputs have focus, and Input binds ctrl+d itself.
        Binding("ctrl+s", "save", "Save as profile", priority=True),
        Binding("ctrl+d", "make_default", "Make default", priority=True),
    ]

    def __init__(self, switcher: Switcher) -> None:
        super().__init__()
        self.switcher = switcher
        self.choices: list[Choice] = []
        self.prompting: Optional[str] = None  # "password" | "save" while the prompt is up
        self._attempt: tuple[Optional[Choice], Optional[str]] = (None, None)
        self._asking_for: Optional[Choice] = None  # the choice a password prompt answers for
        self._confirm_overwrite: Optional[str] = None  # a profile name to update on a second key

    def compose(self) -> ComposeResult:
        with Vertical(id="profiles-dialog"):
            title = Text("Switch profile or region · now ", style="bold")
            title.append(scrub(self.switcher.label), style="bold reverse")
            yield Static(title, id="profiles-title")
            yield Input(
                placeholder="type to narrow: a profile name or a region such as cn-south",
                id="profiles-filter",
            )
            yield OptionList(id="profiles-options")
            yield Input(id="profiles-prompt")
            yield Static("", id="profiles-message")
            yield Static(HINT if self.switcher.can_save else DEMO_HINT, id="profiles-hint")

    def on_mount(self) -> None:
        try:
            self.profile_choices = self.switcher.profiles()
            self.config_problem: Optional[str] = None
        except ConfigurationError as error:
            self.profile_choices = []
            self.config_problem = str(error)
        self.region_choices = self.switcher.regions()
        self._fill("")
        if self.config_problem:
            self._say(self.config_problem, "red")
        self.query_one("#profiles-filter", Input).focus()

    # -- the list -------------------------------------------------------------------------------

    @property
    def options(self) -> OptionList:
        return self.query_one("#profiles-options", OptionList)

    def _fill(self, needle: str) -> None:
        needle = needle.strip().lower()
        profiles = [
            c for c in self.profile_choices if needle in c.name.lower() or needle in c.summary.lower()
        ]
        regions = [c for c in self.region_choices if needle in c.region]
        self.choices = []
        options: list[Union[Option, None]] = []
        heading = Text(f"Profiles · {scrub(self.switcher.config_shown())}", style="bold dim")
        options.append(Option(heading, disabled=True))
        if not profiles:
            if self.profile_choices:
                note = "none match"
            elif self.switcher.can_save:
                note = "none yet: ctrl+s saves this connection as one"
            else:
                note = "none: the demo switches regions only"
            options.append(Option(Text(f"  {note}", style="dim"), disabled=True))
        width = max([len(scrub(c.name)) for c in profiles] + [len("ap-southeast-1")])
        for choice in profiles:
            line = Text("● " if choice.current else "  ", style="bold", no_wrap=True, overflow="ellipsis")
            line.append(f"{scrub(choice.name):<{width}} ", style="bold")
            # Before the summary, which a narrow screen cuts short.
            line.append("default " if choice.default else " " * len("default "), style="italic")
            line.append(scrub(choice.summary))
            options.append(Option(line, id=f"profile:{len(self.choices)}"))
            self.choices.append(choice)
        options.append(Option(Text("Regions", style="bold dim"), disabled=True))
        if not regions:
            options.append(Option(Text("  none match", style="dim"), disabled=True))
        for region in regions:
            line = Text("● " if region.current else "  ", style="bold", no_wrap=True, overflow="ellipsis")
            line.append(f"{region.region:<{width}} ", style="bold")
            line.append(scrub(region.host), style="dim")
            options.append(Option(line, id=f"region:{len(self.choices)}"))
            self.choices.append(region)
        option_list = self.options
        option_list.clear_options()
        option_list.add_options(options)
        current = next((i for i, o in enumerate(options) if o and o.id and self._is_current(o.id)), None)
        first = next((i for i, o in enumerate(options) if o and not o.disabled), None)
        option_list.highlighted = current if current is not None and not needle else first

    def _is_current(self, option_id: str) -> bool:
        return getattr(self._choice_of(option_id), "current", False)

    def _choice_of(self, option_id: Optional[str]) -> Optional[Choice]:
        if not option_id:
            return None
        return self.choices[int(option_id.split(":", 1)[1])]

    @property
    def highlighted(self) -> Optional[Choice]:
        option_list = self.options
        if option_list.highlighted is None:
            return None
        return self._choice_of(option_list.get_option_at_index(option_list.highlighted).id)

    @on(Input.Changed, "#profiles-filter")
    def _narrow(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def action_move(self, delta: int) -> None:
        option_list = self.options
        for _ in range(abs(delta)):
            if delta > 0:
                option_list.action_cursor_down()
            else:
                option_list.action_cursor_up()

    # -- switching ------------------------------------------------------------------------------

    @on(Input.Submitted, "#profiles-filter")
    def _filter_submitted(self) -> None:
        choice = self.highlighted
        if choice is not None and self.prompting is None:
            self._switch(choice)

    @on(OptionList.OptionSelected, "#profiles-options")
    def _option_selected(self, event: OptionList.OptionSelected) -> None:
        choice = self._choice_of(event.option.id)
        if choice is not None and self.prompting is None:  # a prompt answers for its own choice
            self._switch(choice)

    def _switch(self, choice: Choice, password: Optional[str] = None) -> None:
        if choice.current and password is None:
            self._say("Already connected there. Esc closes.", "dim")
            return
        where = f"profile {choice.name}" if isinstance(choice, ProfileChoice) else f"region {choice.region}"
        self._say(f"Connecting to {where}…", "dim")
        self._attempt = (choice, password)  # not a worker argument: its repr would show the password
        self._connect()

    @work(group="connect", exclusive=True, exit_on_error=False, description="connect")
    async def _connect(self) -> None:
        """Try the new place; only a client that answered is handed to the app, any other is
        closed here (cancelled included), so exactly one owner closes each client."""
        choice, password = self._attempt
        self._attempt = (choice, None)
        if choice is None:  # _switch sets it before it starts this worker
            return
        connection: Optional[Connection] = None
        handed_over = False
        try:
            if isinstance(choice, ProfileChoice):
                connection = self.switcher.connect_profile(choice.name, password)
            else:
                connection = self.switcher.connect_region(choice.region, password)
            namespaces = await connection.client.list_namespaces()
            handed_over = True
        except PasswordNeeded as need:
            self._asking_for = choice
            self._ask("password", need.prompt)
            return
        except AuthenticationError as error:
            self.switcher.forget_password()  # a refused password is asked for again, never resent
            self._failed(error)
            return
        except (ConfigurationError, SwrError) as error:
            settings = connection.settings if connection is not None else None
            self._failed(settings.explain(error) if settings is not None else error)
            return
        except Exception as error:  # a bug must not take the app down, nor strand it
            self._failed(f"{type(error).__name__}: {error}")
            return
        finally:
            if connection is not None and not handed_over:
                await connection.client.aclose()
        assert connection is not None
        self._finish(Switched(connection, list(namespaces)))

    def _finish(self, switched: Switched) -> None:
        # The palette (or any screen) opened over this one while connecting goes first, so
        # that dismissing closes this screen and not the one on top.
        while self.app.screen is not self and self in self.app.screen_stack:
            self.app.pop_screen()
        self.dismiss(switched)

    def _failed(self, error: object) -> None:
        reason = str(error).rstrip().rstrip(".")
        self._say(f"Could not switch: {reason}. The app stays on {self.switcher.label}.", "red")

    # -- prompts: a password, or a profile name to save as ----------------------------------------

    def _ask(self, what: str, label: str, value: str = "") -> None:
        self.prompting = what
        prompt = self.query_one("#profiles-prompt", Input)
        prompt.password = what == "password"
        prompt.placeholder = scrub(label)
        prompt.value = value
        prompt.add_class("-visible")
        self.query_one("#profiles-hint").display = False  # room for the prompt at 80x24
        prompt.focus()
        tail = (
            "enter connects" if what == "password" else "enter saves · ctrl+d saves and makes it the default"
        )
        self._say(f"{label.rstrip(': ')} · {tail} · esc cancels", "bold")

    def _close_prompt(self) -> None:
        self.prompting = None
        self._confirm_overwrite = None
        prompt = self.query_one("#profiles-prompt", Input)
        prompt.value = ""
        prompt.remove_class("-visible")
        self.query_one("#profiles-hint").display = True
        self.query_one("#profiles-filter", Input).focus()

    @on(Input.Submitted, "#profiles-prompt")
    def _prompt_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value
        if self.prompting == "password":
            choice, self._asking_for = self._asking_for, None
            self._close_prompt()
            if not value:
                self._say("No password given: not switched.", "red")
            elif choice is not None:
                self._switch(choice, value)
        elif self.prompting == "save":
            self._save(value.strip(), make_default=False)

    def action_save(self) -> None:
        if not self.switcher.can_save:
            self._say("The demo is not saved as a profile: it needs no configuration.", "red")
            return
        if self.prompting is None:
            self._ask("save", "Save this connection as profile named: ")

    def action_make_default(self) -> None:
        if self.prompting == "save":
            self._save(self.query_one("#profiles-prompt", Input).value.strip(), make_default=True)
            return
        if self.prompting is not None:
            return
        choice = self.highlighted
        if not isinstance(choice, ProfileChoice):
            self._say("Highlight a profile to make it the default.", "red")
            return
        try:
            shown = self.switcher.make_default(choice.name)
        except ConfigurationError as error:
            self._say(str(error), "red")
            return
        self._reload_profiles()
        self._say(f"{choice.name} is now the default profile in {shown}.", "green")

    def _save(self, name: str, *, make_default: bool) -> None:
        exists = any(choice.name == name for choice in self.profile_choices)
        if exists and self._confirm_overwrite != name:
            self._confirm_overwrite = name
            self._say(
                f"Profile {name} exists: press the same key again to update it with this connection, "
                "or change the name.",
                "yellow",
            )
            return
        try:
            shown = self.switcher.save_current(name, make_default=make_default)
        except ConfigurationError as error:
            self._say(str(error), "red")
            return
        self._close_prompt()
        self._reload_profiles()
        default = " as the default" if make_default else ""
        warning = self.switcher.config_warning()
        if warning:
            self._say(f"Saved profile {name}{default} in {shown} (mode 0600). ⚠ {warning}", "yellow")
        else:
            self._say(f"Saved profile {name}{default} in {shown} (mode 0600).", "green")

    def _reload_profiles(self) -> None:
        try:
            self.profile_choices = self.switcher.profiles()
        except ConfigurationError as error:
            self._say(str(error), "red")
            return
        self._fill(self.query_one("#profiles-filter", Input).value)

    # -- closing --------------------------------------------------------------------------------

    def action_close(self) -> None:
        if self.prompting is not None:
            self._close_prompt()
            self._say("", "dim")
            return
        self.workers.cancel_group(self, "connect")  # the worker closes its client as it ends
        self.dismiss(None)

    def _say(self, message: str, style: str) -> None:
        self.query_one("#profiles-message", Static).update(Text(scrub(message), style=style))
