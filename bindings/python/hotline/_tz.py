"""The Asia/Shanghai time zone as a datetime.tzinfo (zoneinfo, the system's tzdata)."""
import zoneinfo

#: Beijing time.  China has kept UTC+8 since 1991; earlier instants follow the
#: historical rules (summer time 1986-1991).
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
