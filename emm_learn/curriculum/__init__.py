"""The curriculum: manifest, chapter files parsed once into frozen objects, and reading pages."""
