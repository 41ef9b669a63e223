// hotline/detail/astronomy.hpp: the Sun and the Moon, precisely enough to set
// the Chinese calendar (hotline/lunisolar.hpp) to the day.
//
// A lunar month starts on the Beijing day of a new moon and a leap month is
// decided by the day of a principal solar term, so both instants are needed to
// well under a minute: a new moon a few minutes before midnight (2027-02-06
// 23:56 +08:00) moves the Spring Festival by a day when an approximation is off
// by minutes.  What is here, and what it is good for over 1900-2100:
//   - new moons: Meeus, Astronomical Algorithms (2nd ed.), ch. 49, with all
//     periodic terms and the 14 planetary corrections (about 20 s);
//   - the Sun's apparent geocentric longitude: VSOP87D for the Earth truncated
//     to the terms that matter here (about 0.5"), the FK5 correction, IAU 1980
//     nutation in longitude (its largest terms, about 0.05"), and aberration;
//     the Sun moves about 2.5" a minute, so a solar term is within ~20 s;
//   - Delta T (TT - UT) from observations up to 2025 and the Stephenson,
//     Morrison & Hohenkerk (2016) extrapolation after that.
// Times are Julian Ephemeris Days (TT) unless a name says utc.
//
//   double jde = hotline::detail::new_moon_jde(-283);       // 2443192.65118, 1977-02-18
//   double lon = hotline::detail::sun_apparent_longitude(jde);  // degrees, [0, 360)
#pragma once

#include <cmath>
#include <cstdint>

namespace hotline::detail {

inline constexpr double pi = 3.14159265358979323846;
inline constexpr double deg = pi / 180.0;
inline constexpr double arcsec = deg / 3600.0;
inline constexpr double jd_j2000 = 2451545.0;
inline constexpr double jd_unix_epoch = 2440587.5;  // 1970-01-01T00:00:00Z

/// `x` reduced to [0, 360).
inline double normalize_degrees(double x) noexcept {
  x = std::fmod(x, 360.0);
  return x < 0 ? x + 360.0 : x;
}

// ---------------------------------------------------------------- Delta T ---

/// Delta T = TT - UT in seconds, for a decimal year.
///
/// 1900-2005: the polynomials of Espenak & Meeus (NASA, Five Millennium Canon),
/// within about 1 s of the observed values.  2005-2025: the observed values at
/// the start of each year (IERS; 32.184 s + TAI-UTC - (UT1-UTC)), interpolated.
/// After 2025: the last observed value carried forward along the long-term
/// extrapolation of Stephenson, Morrison & Hohenkerk (2016) that HM Nautical
/// Almanac Office publishes (about +2 s by 2035, +25 s by 2100); the future
/// rotation of the Earth is not known better than that, which is why the far
/// future has dates the observatories mark as uncertain (lunisolar.hpp).
/// Outside 1900-2150 the long-term parabola -20 + 32 u^2 stands in.
inline double delta_t_seconds(double year) noexcept {
  // Start-of-year observed values, 2005.0 .. 2025.0.
  constexpr double observed[] = {64.69, 64.85, 65.15, 65.46, 65.78, 66.07, 66.32, 66.60, 66.91, 67.28, 67.64,
                                 68.10, 68.59, 68.97, 69.22, 69.36, 69.36, 69.29, 69.20, 69.18, 69.14};
  constexpr int first_observed = 2005;
  constexpr int last_observed = first_observed + static_cast<int>(sizeof observed / sizeof observed[0]) - 1;
  const auto smh2016 = [](double y) {  // integrated length-of-day model, t in years since 1825
    const double t = y - 1825.0;
    return -293.600 + 0.00325 * t * t + 349.0 * std::cos(0.00419 * t);
  };
  if (year < 1900.0 || year >= 2150.0) {
    const double u = (year - 1820.0) / 100.0;
    return -20.0 + 32.0 * u * u;
  }
  if (year < 1920.0) {
    const double t = year - 1900.0;
    return -2.79 + t * (1.494119 + t * (-0.0598939 + t * (0.0061966 - t * 0.000197)));
  }
  if (year < 1941.0) {
    const double t = year - 1920.0;
    return 21.20 + t * (0.84493 + t * (-0.076100 + t * 0.0020936));
  }
  if (year < 1961.0) {
    const double t = year - 1950.0;
    return 29.07 + t * (0.407 + t * (-1.0 / 233.0 + t / 2547.0));
  }
  if (year < 1986.0) {
    const double t = year - 1975.0;
    return 45.45 + t * (1.067 + t * (-1.0 / 260.0 - t / 718.0));
  }
  if (year < first_observed) {
    const double t = year - 2000.0;
    return 63.86 + t * (0.3345 + t * (-0.060374 + t * (0.0017275 + t * (0.000651814 + t * 0.00002373599))));
  }
  if (year < last_observed) {
    const int i = static_cast<int>(year) - first_observed;
    const double f = year - std::floor(year);
    return observed[i] + f * (observed[i + 1] - observed[i]);
  }
  return observed[last_observed - first_observed] + smh2016(year) - smh2016(last_observed);
}

/// The decimal year of a Julian day (close enough for Delta T).
inline double decimal_year(double jd) noexcept { return 2000.0 + (jd - jd_j2000) / 365.25; }

/// UTC (as a Julian day) of a Julian Ephemeris Day; UT1 and UTC differ by < 0.9 s.
inline double jde_to_jd_utc(double jde) noexcept { return jde - delta_t_seconds(decimal_year(jde)) / 86400.0; }

/// Seconds since 1970-01-01T00:00:00Z of a Julian Ephemeris Day.
inline double jde_to_unix_seconds(double jde) noexcept { return (jde_to_jd_utc(jde) - jd_unix_epoch) * 86400.0; }

/// The Beijing (UTC+8) calendar day of a Julian Ephemeris Day, as days since 1970-01-01.
inline std::int32_t beijing_day_number(double jde) noexcept {
  return static_cast<std::int32_t>(std::floor(jde_to_jd_utc(jde) - jd_unix_epoch + 8.0 / 24.0));
}

// ------------------------------------------------------------------- Sun ---

/// One term A cos(B + C tau) of VSOP87; tau in Julian millennia from J2000.
struct vsop_term {
  double a, b, c;
};

// VSOP87D (heliocentric, ecliptic and equinox of date), Earth, Bretagnon &
// Francou 1988: the terms of L0 with A >= 1e-7 rad, of L1 with A >= 3.5e-7 (they
// are multiplied by tau <= 0.1 here), of L2 with A >= 1.5e-7, the largest of
// L3 and L4, and of R0 (needed only for aberration) the largest six.
inline constexpr vsop_term earth_l0[] = {
    {1.75347045673, 0.0, 0.0},
    {0.03341656456, 4.66925680417, 6283.07584999140},
    {0.00034894275, 4.62610241759, 12566.15169998280},
    {0.00003417571, 2.82886579606, 3.52311834900},
    {0.00003497056, 2.74411800971, 5753.38488489680},
    {0.00003135896, 3.62767041758, 77713.77146812050},
    {0.00002676218, 4.41808351397, 7860.41939243920},
    {0.00002342687, 6.13516237631, 3930.20969621960},
    {0.00001273166, 2.03709655772, 529.69096509460},
    {0.00001324292, 0.74246356352, 11506.76976979360},
    {0.00000901855, 2.04505443513, 26.29831979980},
    {0.00001199167, 1.10962944315, 1577.34354244780},
    {0.00000857223, 3.50849156957, 398.14900340820},
    {0.00000779786, 1.17882652114, 5223.69391980220},
    {0.00000990250, 5.23268129594, 5884.92684658320},
    {0.00000753141, 2.53339053818, 5507.55323866740},
    {0.00000505264, 4.58292563052, 18849.22754997420},
    {0.00000492379, 4.20506639861, 775.52261132400},
    {0.00000356655, 2.91954116867, 0.06731030280},
    {0.00000284125, 1.89869034186, 796.29800681640},
    {0.00000242810, 0.34481140906, 5486.77784317500},
    {0.00000317087, 5.84901952218, 11790.62908865880},
    {0.00000271039, 0.31488607649, 10977.07880469900},
    {0.00000206160, 4.80646606059, 2544.31441988340},
    {0.00000205385, 1.86947813692, 5573.14280143310},
    {0.00000202261, 2.45767795458, 6069.77675455340},
    {0.00000126184, 1.08302630210, 20.77539549240},
    {0.00000155516, 0.83306073807, 213.29909543800},
    {0.00000115132, 0.64544911683, 0.98032106820},
    {0.00000102851, 0.63599846727, 4694.00295470760},
    {0.00000101724, 4.26679821365, 7.11354700080},
    {0.00000099206, 6.20992940258, 2146.16541647520},
    {0.00000132212, 3.41118275555, 2942.46342329160},
    {0.00000097607, 0.68101272270, 155.42039943420},
    {0.00000085128, 1.29870743025, 6275.96230299060},
    {0.00000074651, 1.75508916159, 5088.62883976680},
    {0.00000101895, 0.97569221824, 15720.83878487840},
    {0.00000084711, 3.67080093025, 71430.69561812909},
    {0.00000073547, 4.67926565481, 801.82093112380},
    {0.00000073874, 3.50319443167, 3154.68708489560},
    {0.00000078756, 3.03698313141, 12036.46073488820},
    {0.00000079637, 1.80791330700, 17260.15465469040},
    {0.00000085803, 5.98322631256, 161000.68573767410},
    {0.00000056963, 2.78430398043, 6286.59896834040},
    {0.00000061148, 1.81839811024, 7084.89678111520},
    {0.00000069627, 0.83297596966, 9437.76293488700},
    {0.00000056116, 4.38694880779, 14143.49524243060},
    {0.00000062449, 3.97763880587, 8827.39026987480},
    {0.00000051145, 0.28306864501, 5856.47765911540},
    {0.00000055577, 3.47006009062, 6279.55273164240},
    {0.00000041036, 5.36817351402, 8429.24126646660},
    {0.00000051605, 1.33282746983, 1748.01641306700},
    {0.00000051992, 0.18914945834, 12139.55350910680},
    {0.00000049000, 0.48735065033, 1194.44701022460},
    {0.00000039200, 6.16832995016, 10447.38783960440},
    {0.00000035566, 1.77597314691, 6812.76681508600},
    {0.00000036770, 6.04133859347, 10213.28554621100},
    {0.00000036596, 2.56955238628, 1059.38193018920},
    {0.00000033291, 0.59309499459, 17789.84561978500},
    {0.00000035954, 1.70876111898, 2352.86615377180},
    {0.00000040938, 2.39850881707, 19651.04848109800},
    {0.00000030047, 2.73975123935, 1349.86740965880},
    {0.00000030412, 0.44294464135, 83996.84731811189},
    {0.00000023663, 0.48473567763, 8031.09226305840},
    {0.00000023574, 2.06527720049, 3340.61242669980},
    {0.00000021089, 4.14825464101, 951.71840625060},
    {0.00000024738, 0.21484762138, 3.59042865180},
    {0.00000025352, 3.16470953405, 4690.47983635860},
    {0.00000022820, 5.22197888032, 4705.73230754360},
    {0.00000021419, 1.42563735525, 16730.46368959580},
    {0.00000021891, 5.55594302562, 553.56940284240},
    {0.00000017481, 4.56052900359, 135.06508003540},
    {0.00000019925, 5.22208471269, 12168.00269657460},
    {0.00000019860, 5.77470167653, 6309.37416979120},
    {0.00000020300, 0.37133792946, 283.85931886520},
    {0.00000014421, 4.19315332546, 242.72860397400},
    {0.00000016225, 5.98837722564, 11769.85369316640},
    {0.00000015077, 4.19567181073, 6256.77753019160},
    {0.00000019124, 3.82219996949, 23581.25817731760},
    {0.00000018888, 5.38626880969, 149854.40013480789},
    {0.00000014346, 3.72355084422, 38.02767263580},
    {0.00000017898, 2.21490735647, 13367.97263110660},
    {0.00000012054, 2.62229588349, 955.59974160860},
    {0.00000011287, 0.17739328092, 4164.31198961300},
    {0.00000013971, 4.40138139996, 6681.22485339960},
    {0.00000013621, 1.88934471407, 7632.94325965020},
    {0.00000012503, 1.13052412208, 5.52292430740},
    {0.00000010498, 5.35909518669, 1592.59601363280},
    {0.00000010327, 6.19982566125, 6438.49624942560},
    {0.00000012003, 1.00351456700, 632.78373931320},
    {0.00000010827, 0.32734520222, 103.09277421860},
    {0.00000010005, 6.02914963280, 5746.27133789600},
    {0.00000010523, 0.93871805506, 11926.25441366880},
};
inline constexpr vsop_term earth_l1[] = {
    {6283.31966747491, 0.0, 0.0},
    {0.00206058863, 2.67823455584, 6283.07584999140},
    {0.00004303430, 2.63512650414, 12566.15169998280},
    {0.00000425264, 1.59046980729, 3.52311834900},
    {0.00000108977, 2.96618001993, 1577.34354244780},
    {0.00000093478, 2.59212835365, 18849.22754997420},
    {0.00000119261, 5.79557487799, 26.29831979980},
    {0.00000072122, 1.13846158196, 529.69096509460},
    {0.00000067768, 1.87472304791, 398.14900340820},
    {0.00000067327, 4.40918235168, 5507.55323866740},
    {0.00000059027, 2.88797038460, 5223.69391980220},
    {0.00000055976, 2.17471680261, 155.42039943420},
    {0.00000045407, 0.39803079805, 796.29800681640},
    {0.00000036369, 0.46624739835, 775.52261132400},
};
inline constexpr vsop_term earth_l2[] = {
    {0.00052918870, 0.0, 0.0},
    {0.00008719837, 1.07209665242, 6283.07584999140},
    {0.00000309125, 0.86728818832, 12566.15169998280},
    {0.00000027339, 0.05297871691, 3.52311834900},
    {0.00000016334, 5.18826691036, 26.29831979980},
    {0.00000015752, 3.68457889430, 155.42039943420},
};
inline constexpr vsop_term earth_l3[] = {
    {0.00000289226, 5.84384198723, 6283.07584999140},
    {0.00000034955, 0.0, 0.0},
    {0.00000016819, 5.48766912348, 12566.15169998280},
};
inline constexpr vsop_term earth_l4[] = {
    {0.00000114084, 3.14159265359, 0.0},
    {0.00000007717, 4.13446589358, 6283.07584999140},
};
inline constexpr vsop_term earth_r0[] = {
    {1.00013988799, 0.0, 0.0},
    {0.01670699626, 3.09846350771, 6283.07584999140},
    {0.00013956023, 3.05524609620, 12566.15169998280},
    {0.00003083720, 5.19846674381, 77713.77146812050},
    {0.00001628461, 1.17387749012, 5753.38488489680},
    {0.00001575568, 2.84685245825, 7860.41939243920},
};

template <std::size_t N>
inline double vsop_sum(const vsop_term (&terms)[N], double tau) noexcept {
  double s = 0.0;
  for (const auto& t : terms) s += t.a * std::cos(t.b + t.c * tau);
  return s;
}

/// Nutation in longitude (radians), IAU 1980 (Meeus table 22.A), its terms of
/// 0.0015" and more; the rest add up to a few hundredths of an arcsecond.
inline double nutation_in_longitude(double jde) noexcept {
  const double t = (jde - jd_j2000) / 36525.0;
  // Delaunay arguments (Meeus 22), degrees.
  const double d = 297.85036 + t * (445267.111480 + t * (-0.0019142 + t / 189474.0));
  const double m = 357.52772 + t * (35999.050340 + t * (-0.0001603 - t / 300000.0));
  const double mm = 134.96298 + t * (477198.867398 + t * (0.0086972 + t / 56250.0));
  const double f = 93.27191 + t * (483202.017538 + t * (-0.0036825 + t / 327270.0));
  const double om = 125.04452 + t * (-1934.136261 + t * (0.0020708 + t / 450000.0));
  struct term {
    signed char d, m, mm, f, om;
    double s0, s1;  // 0.0001", coefficient of sin(argument) is s0 + s1 t
  };
  static constexpr term terms[] = {
      {0, 0, 0, 0, 1, -171996, -174.2}, {-2, 0, 0, 2, 2, -13187, -1.6}, {0, 0, 0, 2, 2, -2274, -0.2},
      {0, 0, 0, 0, 2, 2062, 0.2},       {0, 1, 0, 0, 0, 1426, -3.4},    {0, 0, 1, 0, 0, 712, 0.1},
      {-2, 1, 0, 2, 2, -517, 1.2},      {0, 0, 0, 2, 1, -386, -0.4},    {0, 0, 1, 2, 2, -301, 0},
      {-2, -1, 0, 2, 2, 217, -0.5},     {-2, 0, 1, 0, 0, -158, 0},      {-2, 0, 0, 2, 1, 129, 0.1},
      {0, 0, -1, 2, 2, 123, 0},         {2, 0, 0, 0, 0, 63, 0},         {0, 0, 1, 0, 1, 63, 0.1},
      {2, 0, -1, 2, 2, -59, 0},         {0, 0, -1, 0, 1, -58, -0.1},    {0, 0, 1, 2, 1, -51, 0},
      {-2, 0, 2, 0, 0, 48, 0},          {0, 0, -2, 2, 1, 46, 0},        {2, 0, 0, 2, 2, -38, 0},
      {0, 0, 2, 2, 2, -31, 0},          {0, 0, 2, 0, 0, 29, 0},         {-2, 0, 1, 2, 2, 29, 0},
      {0, 0, 0, 2, 0, 26, 0},           {-2, 0, 0, 2, 0, -22, 0},       {0, 0, -1, 2, 1, 21, 0},
      {0, 2, 0, 0, 0, 17, -0.1},        {2, 0, -1, 0, 1, 16, 0},        {-2, 2, 0, 2, 2, -16, 0.1},
      {0, 1, 0, 0, 1, -15, 0},
  };
  double s = 0.0;
  for (const auto& x : terms) {
    const double arg = (x.d * d + x.m * m + x.mm * mm + x.f * f + x.om * om) * deg;
    s += (x.s0 + x.s1 * t) * std::sin(arg);
  }
  return s * 0.0001 * arcsec;
}

/// The Sun's apparent geocentric ecliptic longitude, degrees in [0, 360),
/// referred to the true equinox of date (what defines the solar terms).
inline double sun_apparent_longitude(double jde) noexcept {
  const double tau = (jde - jd_j2000) / 365250.0;
  const double l =
      vsop_sum(earth_l0, tau) +
      tau * (vsop_sum(earth_l1, tau) +
             tau * (vsop_sum(earth_l2, tau) + tau * (vsop_sum(earth_l3, tau) + tau * vsop_sum(earth_l4, tau))));
  const double r = vsop_sum(earth_r0, tau);
  // Geocentric = heliocentric + 180 deg; -0.09033" takes VSOP87's dynamical
  // equinox to FK5's; aberration is 20.4898" / R (Meeus 25.10, 32).
  const double geometric = l + pi - 0.09033 * arcsec;
  const double apparent = geometric + nutation_in_longitude(jde) - 20.4898 * arcsec / r;
  return normalize_degrees(apparent / deg);
}

/// The JDE at which the Sun's apparent longitude is `target` degrees, starting
/// from a guess within a few days of it.  Secant steps on the longitude; stops
/// below 1e-7 day (0.01 s).
inline double solve_sun_longitude(double target, double jde_guess) noexcept {
  const auto miss = [target](double jde) {
    double x = target - sun_apparent_longitude(jde);  // degrees the Sun has still to go
    x = std::fmod(x + 540.0, 360.0) - 180.0;          // to [-180, 180)
    return x;
  };
  constexpr double mean_rate = 360.0 / 365.2422;  // degrees a day
  double x0 = jde_guess, f0 = miss(x0);
  double x1 = x0 + f0 / mean_rate, f1 = miss(x1);
  for (int i = 0; i < 20 && std::abs(f1) > 1e-9; ++i) {
    const double rate = (f0 - f1) / (x1 - x0);  // the miss falls as time runs
    const double x2 = x1 + f1 / (rate > 0.9 && rate < 1.1 ? rate : mean_rate);
    x0 = x1, f0 = f1;
    x1 = x2, f1 = miss(x1);
    if (std::abs(x1 - x0) < 1e-7) break;
  }
  return x1;
}

// ------------------------------------------------------------------ Moon ---

/// The JDE of new moon number k (k = 0: 2000-01-06; Meeus 49.1 with the
/// periodic terms of new moon and the 14 additional corrections).  The instant
/// is the conjunction in apparent longitude, as the calendar needs.
inline double new_moon_jde(int k_index) noexcept {
  const double k = k_index;
  const double t = k / 1236.85;
  const double t2 = t * t, t3 = t2 * t, t4 = t3 * t;
  double jde = 2451550.09766 + 29.530588861 * k + 0.00015437 * t2 - 0.000000150 * t3 + 0.00000000073 * t4;
  const double e = 1.0 - 0.002516 * t - 0.0000074 * t2;
  const double m = (2.5534 + 29.10535670 * k - 0.0000014 * t2 - 0.00000011 * t3) * deg;
  const double mm = (201.5643 + 385.81693528 * k + 0.0107582 * t2 + 0.00001238 * t3 - 0.000000058 * t4) * deg;
  const double f = (160.7108 + 390.67050284 * k - 0.0016118 * t2 - 0.00000227 * t3 + 0.000000011 * t4) * deg;
  const double om = (124.7746 - 1.56375588 * k + 0.0020672 * t2 + 0.00000215 * t3) * deg;
  using std::sin;
  jde += -0.40720 * sin(mm) + 0.17241 * e * sin(m) + 0.01608 * sin(2 * mm) + 0.01039 * sin(2 * f) +
         0.00739 * e * sin(mm - m) - 0.00514 * e * sin(mm + m) + 0.00208 * e * e * sin(2 * m) -
         0.00111 * sin(mm - 2 * f) - 0.00057 * sin(mm + 2 * f) + 0.00056 * e * sin(2 * mm + m) - 0.00042 * sin(3 * mm) +
         0.00042 * e * sin(m + 2 * f) + 0.00038 * e * sin(m - 2 * f) - 0.00024 * e * sin(2 * mm - m) -
         0.00017 * sin(om) - 0.00007 * sin(mm + 2 * m) + 0.00004 * sin(2 * mm - 2 * f) + 0.00004 * sin(3 * m) +
         0.00003 * sin(mm + m - 2 * f) + 0.00003 * sin(2 * mm + 2 * f) - 0.00003 * sin(mm + m + 2 * f) +
         0.00003 * sin(mm - m + 2 * f) - 0.00002 * sin(mm - m - 2 * f) - 0.00002 * sin(3 * mm + m) +
         0.00002 * sin(4 * mm);
  // Planetary arguments A1..A14 (degrees: a0 + a1 k + a2 T^2, only A1 has a2)
  // and their amplitudes (days).
  struct planetary {
    double a0, a1, a2, amplitude;
  };
  static constexpr planetary corrections[] = {
      {299.77, 0.107408, -0.009173, 0.000325}, {251.88, 0.016321, 0, 0.000165}, {251.83, 26.651886, 0, 0.000164},
      {349.42, 36.412478, 0, 0.000126},        {84.66, 18.206239, 0, 0.000110}, {141.74, 53.303771, 0, 0.000062},
      {207.14, 2.453732, 0, 0.000060},         {154.84, 7.306860, 0, 0.000056}, {34.52, 27.261239, 0, 0.000047},
      {207.19, 0.121824, 0, 0.000042},         {291.34, 1.844379, 0, 0.000040}, {161.72, 24.198154, 0, 0.000037},
      {239.56, 25.513099, 0, 0.000035},        {331.55, 3.592518, 0, 0.000023},
  };
  for (const auto& c : corrections) jde += c.amplitude * sin((c.a0 + c.a1 * k + c.a2 * t2) * deg);
  return jde;
}

/// The number k of the last new moon at or before `jde` (by the mean lunation,
/// then checked against the true instants).
inline int new_moon_index_at_or_before(double jde) noexcept {
  int k = static_cast<int>(std::floor((jde - 2451550.09766) / 29.530588861));
  while (new_moon_jde(k + 1) <= jde) ++k;
  while (new_moon_jde(k) > jde) --k;
  return k;
}

}  // namespace hotline::detail
