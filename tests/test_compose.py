"""compose.yaml runs the image built from this Dockerfile with a named volume for the database and the health check."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_compose_builds_the_image_keeps_data_on_a_named_volume_and_checks_health():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    service = compose["services"]["stardrill"]
    assert service["build"] == "." and (ROOT / "Dockerfile").is_file()
    assert "stardrill-data:/data" in service["volumes"] and "stardrill-data" in compose["volumes"]
    assert service["healthcheck"]["test"] == ["CMD", "stardrill", "health"]
    assert service["restart"] == "unless-stopped"
    # the metrics port it publishes is the one it asks Stardrill to serve on
    port = service["environment"]["STARDRILL_METRICS_PORT"]
    assert any(mapping.endswith(f":{port}:{port}") for mapping in service["ports"])
