"""Production settings plus the benchmark's baseline URLs; for bench/load.py only."""

from storefront.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
