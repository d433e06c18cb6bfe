"""Site configuration: ``glossator.yaml`` at the project root, parsed like every other input.

Every field is optional, so a bare folder of texts builds with the defaults of
:class:`~glossator.model.SiteConfig`. ``GLOSSATOR_BASE_URL`` in the environment overrides
``base_url`` (a deploy job knows the address; the file need not).
"""

from __future__ import annotations

import re
from dataclasses import replace

from glossator.model import Diagnostic, Location, SiteConfig
from glossator.schema import CONFIG, load_schema, validate
from glossator.yamlnodes import YamlError, parse

CONFIG_FILE = "glossator.yaml"
"""The configuration file's name, at the project root."""
BASE_URL_VARIABLE = "GLOSSATOR_BASE_URL"
"""Environment variable that overrides ``base_url``."""


def parse_config(path: str, source: str) -> tuple[SiteConfig, list[Diagnostic]]:
    """The configuration in a file's source; the defaults and the problems when it is invalid."""
    try:
        node = parse(source, path)
    except YamlError as error:
        return SiteConfig(), [error.diagnostic]
    if node is None:
        return SiteConfig(), []
    problems = validate(node, CONFIG, "the site configuration")
    if problems:
        return SiteConfig(), problems
    fields = node.to_python()
    assert isinstance(fields, dict)
    config = SiteConfig(**{key: str(value).strip() for key, value in fields.items()})
    return replace(config, base_url=_with_slash(config.base_url)), []


def override_base_url(config: SiteConfig, value: str) -> tuple[SiteConfig, list[Diagnostic]]:
    """``config`` with the base URL given in the environment, if it is a valid one."""
    schema = load_schema(CONFIG)["properties"]["base_url"]
    if not re.search(schema["pattern"], value) or len(value) > schema["maxLength"]:
        return config, [
            Diagnostic(
                Location(f"${BASE_URL_VARIABLE}", 1),
                f"'{value}' is not a valid base URL",
                hint=schema["x-hint"],
                code="config-bad-base-url",
            )
        ]
    return replace(config, base_url=_with_slash(value)), []


def _with_slash(url: str) -> str:
    """Relative links are resolved against the base URL, so it must name a folder."""
    return url if url.endswith("/") else url + "/"
