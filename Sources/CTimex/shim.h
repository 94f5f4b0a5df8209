// glibc's kernel clock discipline call (`ntp_adjtime` in <sys/timex.h>), which Swift's Glibc module leaves out.
#include <sys/timex.h>
