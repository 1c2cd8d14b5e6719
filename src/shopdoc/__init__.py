"""shopdoc — the shop doctor.

Reads the exports an e-commerce operator downloads every morning, applies the health rules of the
operating documents and returns a prioritised to-do list. The library is usable without the CLI:

    from shopdoc.api import diagnose
    report = diagnose(["sample_data"])
"""

__version__ = "0.1.0"
