from report_fixtures import filled

__all__ = ["filled"]
