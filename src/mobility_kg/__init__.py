"""mobility-kg: a knowledge graph and semantic search over the Upward Mobility Framework."""

from mobility_kg.errors import MobilityKGError

__version__ = "0.1.0"
__all__ = ["MobilityKGError", "__version__"]
