# Shared by the fan-out benchmarks (scripts/bench-fanout, scripts/bench-tls); sourced, not run.
# Before sourcing: `root` (the checkout) and `work` (the run's scratch dir).

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The sample commune (device-configs/) in $work/dc with $1 receivers rx-0001… spread over its zones; sets `site`.
bench_device_configs() {
  cp -r "$root/device-configs" "$work/dc"
  python3 - "$work/dc" "$1" <<'PY'
import re, sys
d, n = sys.argv[1], int(sys.argv[2])
zones = re.findall(r"^  - id: (\S+)", open(f"{d}/zones.yaml").read(), re.M)
with open(f"{d}/receivers.yaml", "w") as f:
    f.write("receivers:\n")
    for i in range(1, n + 1):
        f.write(f"  - id: rx-{i:04d}\n    name: \"Cụm loa {i}\"\n    zone: {zones[i % len(zones)]}\n")
PY
  site=$(sed -n 's/^id: *//p' "$work/dc/site.yaml")
}

# $work/speech.wav: espeak-ng vi speech repeated to at least $1 seconds; sets `speech` (its length in s).
bench_speech() {
  espeak-ng -v vi -w "$work/paragraph.wav" "Kính thưa bà con, Ủy ban nhân dân xã thông báo lịch tiêm vắc-xin phòng bệnh cho \
trẻ em dưới năm tuổi vào sáng thứ bảy tuần này tại trạm y tế xã. Đề nghị các gia đình đưa trẻ đến đúng giờ, mang theo \
sổ tiêm chủng và khẩu trang. Trạm y tế sẽ tiêm từ bảy giờ ba mươi đến mười một giờ. Sau khi tiêm, trẻ cần ở lại theo \
dõi ba mươi phút. Mọi thắc mắc xin liên hệ cán bộ y tế thôn. Xin cảm ơn bà con."
  local paragraph repeats
  paragraph=$(soxi -D "$work/paragraph.wav")
  repeats=$(python3 -c "import math; print(max(0, math.ceil($1 / $paragraph) - 1))")
  sox "$work/paragraph.wav" "$work/speech.wav" repeat "$repeats"
  speech=$(soxi -D "$work/speech.wav")
}

# Measurements from /proc. A process argument may be several PIDs joined by commas: their sum.
# CPU ticks (user + system) and RSS / peak RSS (kB).
# A process that is gone counts 0.
ticks() { local p s=0; for p in ${1//,/ }; do s=$((s + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2> /dev/null || echo 0))); done; echo "$s"; }
rss() { local p s=0; for p in ${1//,/ }; do s=$((s + $(awk '/VmRSS/ { print $2 }' "/proc/$p/status" 2> /dev/null || echo 0))); done; echo "$s"; }
hwm() { local p s=0; for p in ${1//,/ }; do s=$((s + $(awk '/VmHWM/ { print $2 }' "/proc/$p/status" 2> /dev/null || echo 0))); done; echo "$s"; }
# The whole machine's busy ticks (every process, ours included).
machine() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
# Wall clock, each process's CPU ticks, and the machine's busy ticks, on one line.
snapshot() { local p line; line=$(date +%s.%N); for p in "$@"; do line+=" $(ticks "$p")"; done; echo "$line $(machine)"; }
