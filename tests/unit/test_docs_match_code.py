"""The documentation checked against the code, as the API already is (tests/api/test_contract_api):
every `mda` command of CONTRACT.md (§2 and the extensions of §7) is one the console script
accepts, with the options and arguments it names, and every command the script has is documented;
README's configuration table lists exactly the variables config/settings.py reads, with the right
defaults."""

from __future__ import annotations

import argparse
import re

import pytest

from config.settings import PROJECT_ROOT, from_env
from web.cli import build_parser

CONTRACT = (PROJECT_ROOT / "docs" / "CONTRACT.md").read_text(encoding="utf-8")
README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
SETTINGS = (PROJECT_ROOT / "config" / "settings.py").read_text(encoding="utf-8")


def section(text: str, heading: str) -> str:
    return text.split(heading, 1)[1].split("\n## ", 1)[0]


def documented_commands() -> list[str]:
    """Every backticked `mda ...` span in the CLI table (§2) and the extensions table (§7)."""
    tables = section(CONTRACT, "## 2. CLI") + section(CONTRACT, "## 7. Extensions")
    spans = re.findall(r"`(mda [^`]+)`", tables)
    return [span for span in spans if "…" not in span]


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:  # argparse keeps its subparsers here, and nowhere public
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def leaf_commands(parser: argparse.ArgumentParser, prefix: str = "mda") -> set[str]:
    children = subcommands(parser)
    if not children:
        return {prefix}
    return set().union(*(leaf_commands(child, f"{prefix} {name}") for name, child in children.items()))


def resolve(words: list[str]) -> tuple[argparse.ArgumentParser, list[str]]:
    """Walk the sub-commands named by the leading words; returns the parser and the rest."""
    parser = build_parser()
    while words and words[0] in subcommands(parser):
        parser = subcommands(parser)[words.pop(0)]
    return parser, words


def test_the_contract_documents_commands_at_all() -> None:
    assert len(documented_commands()) >= 15


@pytest.mark.parametrize("command", documented_commands())
def test_every_documented_command_is_accepted_as_written(command: str) -> None:
    parser, rest = resolve(command.replace("[", " ").replace("]", " ").split()[1:])
    assert not subcommands(parser), f"{command}: names no complete command"
    options = parser._option_string_actions
    positionals = [a for a in parser._actions if not a.option_strings]
    expected_positionals = 0
    while rest:
        word = rest.pop(0)
        if word.startswith("--"):
            assert word in options, f"{command}: {word} is not an option"
            if options[word].nargs != 0 and rest and rest[0].isupper():
                rest.pop(0)  # the option's value
        elif word.isupper():
            expected_positionals += 1
        else:
            raise AssertionError(f"{command}: '{word}' is not a sub-command")
    assert len(positionals) == expected_positionals, command


def command_path(command: str) -> str:
    """'mda users add USERNAME --role ROLE' -> 'mda users add'."""
    words = command.replace("[", " ").replace("]", " ").split()
    _, rest = resolve(words[1:])
    return " ".join(words[: len(words) - len(rest)])


def test_every_command_of_the_console_script_is_documented() -> None:
    documented = {command_path(command) for command in documented_commands()}
    missing = sorted(leaf for leaf in leaf_commands(build_parser()) if leaf not in documented)
    assert missing == []


def readme_variables() -> dict[str, str]:
    table = section(README, "## Configuration")
    rows = re.findall(r"^\| `([A-Z_]+)` \| ([^|]+) \|", table, flags=re.MULTILINE)
    return {name: default.strip() for name, default in rows}


def test_readme_lists_exactly_the_variables_the_settings_read() -> None:
    read = set(re.findall(r"\"((?:MDA|DATABASE)_[A-Z_]+)\"", SETTINGS))
    assert len(read) >= 8
    assert set(readme_variables()) == read


@pytest.mark.parametrize(
    "name", [name for name, default in readme_variables().items() if re.fullmatch(r"`\d+`", default)]
)
def test_readme_numeric_defaults_are_the_codes_and_the_variable_takes_effect(name: str) -> None:
    default = int(readme_variables()[name].strip("`"))
    plain = vars(from_env({}))
    changed = vars(from_env({name: str(default + 1)}))
    differing = [key for key in plain if key != "secret_key" and plain[key] != changed[key]]
    assert len(differing) == 1, (name, differing)
    assert plain[differing[0]] == default and changed[differing[0]] == default + 1
