"""hotline: workday calendars, SLA clocks, work orders and reports for China's
public-health hotlines (12320) and family-doctor signing services.

    import hotline, datetime
    cal = hotline.Calendar.china()
    cal.add_workdays(datetime.date(2025, 1, 25), 2)   # datetime.date(2025, 1, 27)
"""
from . import _privacy
_privacy.install()  # TypeErrors of calls that take personal data list types, not values
from ._core import *  # noqa: F401,F403,E402  (the compiled classes and the Error family)
from ._core import __version__  # noqa: F401
from ._tz import SHANGHAI  # noqa: F401
