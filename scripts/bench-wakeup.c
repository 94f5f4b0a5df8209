// Wake-up error of a playout-like SCHED_FIFO thread at 50 Hz (issue 19): three ways to reach a write instant,
// interleaved packet by packet so all see the same load: an absolute clock_nanosleep to the instant ("sleep"), a
// sleep to 300 us before it and a spin ("sleep+spin 300us", the old playout), and a sleep to the instant minus
// the p90 of the last 64 wake-up latencies then a spin of what is left ("adaptive", WakeUpAllowance).
//   gcc -O2 scripts/bench-wakeup.c -o /tmp/bench-wakeup && /tmp/bench-wakeup 3000   (as root, for SCHED_FIFO)
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <sched.h>
#include <sys/prctl.h>
static long long now_us(clockid_t c){struct timespec t;clock_gettime(c,&t);return t.tv_sec*1000000LL+t.tv_nsec/1000;}
static int cmp(const void*a,const void*b){long long x=*(long long*)a,y=*(long long*)b;return x<y?-1:x>y;}
int main(int argc,char**argv){
  int n=argc>1?atoi(argv[1]):1000; struct sched_param p={.sched_priority=10};
  if(sched_setscheduler(0,SCHED_FIFO,&p)) perror("fifo");
  prctl(PR_SET_TIMERSLACK,1,0,0,0);
  long long *late[3]; long long cpu[3]={0,0,0}; int k[3]={0,0,0}; long long win[64]; int wn=0; long long allow=0;
  for(int m=0;m<3;m++) late[m]=malloc(n*sizeof(long long));
  long long target=now_us(CLOCK_REALTIME)+20000;
  for(int i=0;i<n;i++,target+=20000){
    int mode=i%3; long long c0=now_us(CLOCK_THREAD_CPUTIME_ID);
    long long wake=mode==1?target-300:mode==2?target-allow:target; struct timespec d={wake/1000000,(wake%1000000)*1000};
    while(clock_nanosleep(CLOCK_REALTIME,TIMER_ABSTIME,&d,NULL));
    if(mode==2){long long e=now_us(CLOCK_REALTIME)-wake; win[wn++%64]=e; int c=wn<64?wn:64; long long sw[64]; for(int j=0;j<c;j++) sw[j]=win[j]; qsort(sw,c,sizeof(long long),cmp); allow=sw[c*9/10]; if(allow>300) allow=300;}
    if(mode) while(now_us(CLOCK_REALTIME)<target);
    long long l=now_us(CLOCK_REALTIME)-target; cpu[mode]+=now_us(CLOCK_THREAD_CPUTIME_ID)-c0;
    late[mode][k[mode]++]=l;
  }
  const char*name[3]={"sleep","sleep+spin 300us","adaptive"};
  for(int m=0;m<3;m++){qsort(late[m],k[m],sizeof(long long),cmp);
    printf("%-17s n=%d lateness us: p50 %lld p90 %lld p99 %lld max %lld; cpu %.3f%% of a core\n",name[m],k[m],
      late[m][k[m]/2],late[m][k[m]*9/10],late[m][k[m]*99/100],late[m][k[m]-1],cpu[m]/(k[m]*20000.0)*100/2*2);}
}
