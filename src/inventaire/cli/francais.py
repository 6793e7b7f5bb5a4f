"""Typer's own words in French: the usage line, the help option, panel titles and errors.

Typer 0.29 carries its own copy of Click whose texts are English literals (no gettext), so
they are replaced here, once, when the CLI is imported: the strings `typer.rich_utils`
reads at each call, the help option's text, the usage prefix, and each error message,
translated by pattern just before it is shown. Typer is pinned (pyproject.toml); the tests
in tests/cli/test_francais.py fail if an upgrade brings an English word back.
"""

from __future__ import annotations

import re

from typer import core as typer_core
from typer import rich_utils
from typer._click import core as click_core
from typer._click import formatting

USAGE = "Utilisation : "
HELP = "Affiche cette aide et quitte."

PANEL_TEXTS = {
    "DEPRECATED_STRING": "(obsolète) ", "DEFAULT_STRING": "[défaut : {}]", "ENVVAR_STRING": "[variable : {}]",
    "REQUIRED_LONG_STRING": "[obligatoire]", "ARGUMENTS_PANEL_TITLE": "Arguments", "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commandes", "ERRORS_PANEL_TITLE": "Erreur", "ABORTED_TEXT": "Interrompu.",
    "RICH_HELP": "Aide : [blue]{command_path} {help_option}[/]",
}

# How a value's type reads in --help (« <str> » would be English).
TYPES = {"<str>": "<texte>", "<int>": "<entier>", "<float>": "<nombre>", "<bool>": None, "<path>": "<chemin>",
         "<Path>": "<chemin>", "<directory>": "<dossier>", "<file>": "<fichier>", "<int range>": "<entier>",
         "<float range>": "<nombre>"}
USAGE_WORDS = (("COMMAND [ARGS]...", "COMMANDE [ARGUMENTS]..."), ("[ARGS]...", "[ARGUMENTS]..."))

# (English pattern, French replacement), tried in order on the whole message.
ERRORS = [
    (r"No such option: (\S+) \(Possible options: (.+)\)", r"Option inconnue : \1 (options proches : \2)."),
    (r"No such option: (\S+)", r"Option inconnue : \1."),
    (r"No such command '(.+)'\.(?: Did you mean (.+)\?)?", r"Commande inconnue : « \1 »."),
    (r"Missing command\.", r"Commande manquante."),
    (r"Missing option (.+?)\.(?: Choose from:\s*(.+))?", r"Option obligatoire manquante : \1."),
    (r"Missing argument '([^'/]+)'\.(?: Choose from:\s*(.+))?", r"Argument obligatoire manquant : « \1 »."),
    (r"Missing argument (.+?)\.(?: Choose from:\s*(.+))?", r"Argument obligatoire manquant : \1."),
    (r"Missing parameter: (.+)", r"Paramètre manquant : \1."),
    (r"Option '(.+)' requires an argument\.", r"L'option « \1 » attend une valeur."),
    (r"Option '(.+)' requires (\d+) arguments\.", r"L'option « \1 » attend \2 valeurs."),
    (r"Option '(.+)' does not take a value\.", r"L'option « \1 » ne prend pas de valeur."),
    (r"Got unexpected extra argument\(s\) \((.+)\)", r"Argument en trop : \1."),
    (r"Invalid value for (.+?): (.+)", r"Valeur invalide pour \1 : \2"),
    (r"Invalid value: (.+)", r"Valeur invalide : \1"),
]
VALUES = [  # the detail inside « Valeur invalide pour … : »
    (r"Input should be a valid integer.*", r"un nombre entier est attendu."),
    (r"Input should be a valid (number|decimal).*", r"un nombre est attendu."),
    (r"Input should be (.+)", r"valeur attendue : \1."),
    (r"(?:Value )?'(.*)' is not a valid (integer|int)\.?", r"« \1 » n'est pas un nombre entier."),
    (r"(?:Value )?'(.*)' is not a valid (float|number)\.?", r"« \1 » n'est pas un nombre."),
    (r"(?:Value )?'(.*)' is not one of (.+)\.?", r"« \1 » n'est pas l'une des valeurs \2."),
    (r"'(.*)' is not (?:a valid )?(.+)\.?", r"« \1 » n'est pas une valeur acceptée (\2)."),
    (r"(.+) is not in the range (.+)\.", r"\1 n'est pas dans l'intervalle \2."),
    (r"Path '(.+)' does not exist\.", r"Le chemin « \1 » n'existe pas."),
]


def translate(message: str) -> str:
    """A Typer/Click message in French (unchanged when no pattern knows it)."""
    for pattern, french in ERRORS:
        match = re.fullmatch(pattern, message.strip(), flags=re.S)
        if match:
            text = match.expand(french)
            return _values(text)
    return message


def _values(text: str) -> str:
    head, sep, detail = text.partition(" : ")
    if not sep:
        return text
    for pattern, french in VALUES:
        match = re.fullmatch(pattern, detail.strip(), flags=re.S)
        if match:
            return f"{head} : {match.expand(french)}"
    return text


def number_range(low: float | None, high: float | None) -> str | None:
    """A bounded option's range as a person reads it: « de 1 à 365 », « au moins 7 », « au plus 30 »."""
    if low is None and high is None:
        return None
    if low is None:
        return f"au plus {high}"
    if high is None:
        return f"au moins {low}"
    return f"de {low} à {high}"


def unbroken(text: str) -> str:
    """A docstring's paragraphs with their single line breaks joined: Rich re-wraps them to the terminal.

    Kept as written: paragraphs starting with \\b (Click's "no rewrap") and list items (« - »).
    """
    paragraphs = []
    for paragraph in text.split("\n\n"):
        if paragraph.lstrip().startswith("\b"):
            paragraphs.append(paragraph)
            continue
        lines = paragraph.split("\n")
        joined = lines[0]
        for line in lines[1:]:
            bullet = line.lstrip().startswith(("- ", "• "))
            joined += ("\n" + line) if bullet else (" " + line.strip())
        paragraphs.append(joined)
    return "\n\n".join(paragraphs)


def _install_words() -> None:
    """Ranges, argument names in the usage line, paragraphs re-wrapped to the terminal's width."""
    typer_core.TyperArgument._get_number_range_help_str = (  # type: ignore[method-assign]  # patching the library's own words
        lambda self: number_range(self.min, self.max))
    option_range = typer_core.TyperOption._get_number_range_help_str

    def french_option_range(self) -> str | None:
        return number_range(self.min, self.max) if option_range(self) else None

    typer_core.TyperOption._get_number_range_help_str = french_option_range  # type: ignore[method-assign]  # patching the library's own words

    def usage_name(self) -> str:
        # Click writes a required argument `{name}` and the name as the code spells it: say it in capitals.
        name = self.display_name_raw.upper()
        name = name if self.required else f"[{name}]"
        return name + ("..." if self.nargs != 1 else "")

    typer_core.TyperArgument._usage_display_name = usage_name  # type: ignore[method-assign]  # patching the library's own words

    fix_linebreaks = rich_utils._fix_linebreaks
    rich_utils._fix_linebreaks = lambda paragraphs, mode: fix_linebreaks(  # type: ignore[assignment]  # patching the library's own words
        [unbroken(p) for p in paragraphs], mode)


def install() -> None:
    """Put Typer's and Click's own words in French (called once by cli/main.py, not on import)."""
    for name, text in PANEL_TEXTS.items():
        setattr(rich_utils, name, text)
    rich_utils.OptionHighlighter.highlights = [
        *rich_utils.OptionHighlighter.highlights, r"(?P<usage>Utilisation : )"]

    write_usage = formatting.HelpFormatter.write_usage

    def french_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        for english, french in USAGE_WORDS:
            args = args.replace(english, french)
        write_usage(self, prog, args, USAGE if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = french_usage  # type: ignore[method-assign]  # patching the library's own words

    get_help_option = click_core.Command.get_help_option

    def french_help_option(self, ctx):
        option = get_help_option(self, ctx)
        if option is not None:
            option.help = HELP
        return option

    click_core.Command.get_help_option = french_help_option  # type: ignore[method-assign]  # patching the library's own words

    display_type = typer_core._TyperParameter.display_type

    def french_type(self, ctx):
        label = display_type(self, ctx)
        return TYPES.get(label, label) or ""

    typer_core._TyperParameter.display_type = french_type  # type: ignore[method-assign]  # patching the library's own words

    format_error = rich_utils.rich_format_error

    def french_error(error) -> None:
        english = error.format_message
        error.format_message = lambda: translate(english())
        format_error(error)

    rich_utils.rich_format_error = french_error  # type: ignore[assignment]  # patching the library's own words
    _install_words()

