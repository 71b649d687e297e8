"""Every setting is documented in the README (a test fails when one is added without a line there)."""

from __future__ import annotations

from dataclasses import fields

from bioatlas.settings import Settings
from tests.conftest import ROOT


def test_every_setting_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for field in fields(Settings):
        assert f"BIOATLAS_{field.name.upper()}" in readme, field.name


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("BIOATLAS_PORT", "9123")
    monkeypatch.setenv("BIOATLAS_DB", "postgresql://u@h/db")
    settings = Settings()
    assert settings.port == 9123 and settings.db == "postgresql://u@h/db"
