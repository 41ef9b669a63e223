/* hotline/c/report.h: the report part of the C ABI (include hotline/hotline.h). */
#ifndef HOTLINE_C_REPORT_H
#define HOTLINE_C_REPORT_H

#include "hotline/c/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif /* HOTLINE_C_REPORT_H */
