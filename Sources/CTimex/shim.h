// glibc's kernel clock discipline call (`ntp_adjtime` in <sys/timex.h>), which Swift's Glibc module leaves out.
#include <sys/timex.h>

// The calling thread's timer slack (`prctl(PR_SET_TIMERSLACK)`); prctl is variadic, which Swift cannot call.
#include <sys/prctl.h>
static inline int loa_set_timer_slack(unsigned long nanoseconds) {
    return prctl(PR_SET_TIMERSLACK, nanoseconds, 0, 0, 0);
}
