#!/usr/bin/env bash
# batch --engine slurm on a real one-node Slurm cluster started by this test
# (munged, slurmctld, slurmd on localhost, private config, sockets, ports and
# state under the test's folder): a 4-clip array (2.5 s clips, one corrupt)
# runs, every output is checked and the corrupt one fails with its own exit
# code; the re-run submits only what is not done (the repaired input and a new
# one); `batch --status` shows them running/queued from scontrol; scancel of
# that array, then a re-run, completes it. Bad partition, missing sbatch and
# a node-local output folder are refused with one line and the documented
# exit code; --dry-run prints the script. Skips (77) only when Slurm or munge
# is not installed or cannot start here.
if [ -z "${AVE_SLURM_TEST_WRAPPED:-}" ]; then
  # A hard limit on the whole test; the EXIT trap still stops the daemons.
  export AVE_SLURM_TEST_WRAPPED=1
  exec timeout -k 10 240 bash "$0" "$@"
fi
source "$AVE_SOURCE_DIR/tests/e2e/lib.sh"

T_START=$(date +%s.%N)
phase() { echo "$(awk -v a="$T_START" -v b="$(date +%s.%N)" 'BEGIN{printf "%5.1f s", b-a}')  $*"; }
skip() { echo "$TEST_NAME: SKIP: $*"; exit 77; } # stop_all cleans up
for c in munged slurmctld slurmd sbatch squeue scontrol scancel sinfo flite; do
  command -v "$c" >/dev/null || skip "$c not installed (scripts/install-deps.sh installs slurmctld slurmd slurm-client munge)"
done
[ "$(id -u)" = 0 ] || skip "starting slurmd needs root"

SD="$WORK/slurm"
mkdir -p "$SD/state" "$SD/spool"
PIDS=()
# remember NAME: the daemon's PID from its pid file, as soon as it is there.
remember() {
  for _ in $(seq 50); do
    [ -s "$SD/$1.pid" ] && { PIDS+=("$(cat "$SD/$1.pid")"); return; }
    sleep 0.1
  done
}
stop_all() {
  set +e
  [ -n "${SLURM_CONF:-}" ] && [ -S "$SD/munge.sock" ] && scancel --quiet --user=root 2>/dev/null
  for f in "$SD/slurmd.pid" "$SD/slurmctld.pid" "$SD/munged.pid"; do
    [ -s "$f" ] && PIDS+=("$(cat "$f")")
  done
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for _ in $(seq 50); do
    alive=0
    for p in "${PIDS[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  if [ "$alive" = 1 ]; then
    for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
  fi
  rm -rf "$WORK"
}
trap stop_all EXIT
trap 'exit 124' TERM INT

# --- a private one-node cluster -------------------------------------------
# Two free ports, so a Slurm already running here is left alone.
read -r CTL_PORT D_PORT < <(python3 -c 'import socket
a, b = socket.socket(), socket.socket()
a.bind(("127.0.0.1", 0)); b.bind(("127.0.0.1", 0))
print(a.getsockname()[1], b.getsockname()[1])')
head -c 1024 /dev/urandom >"$SD/munge.key"
chmod 400 "$SD/munge.key"
chmod 755 "$SD"
phase "starting munged, slurmctld, slurmd"
munged --force --socket="$SD/munge.sock" --key-file="$SD/munge.key" --log-file="$SD/munged.log" \
  --pid-file="$SD/munged.pid" --seed-file="$SD/munged.seed" 2>"$SD/munged.err" ||
  skip "munged cannot start: $(tail -n 1 "$SD/munged.err")"
remember munged
CPUS=$(nproc)
cat >"$SD/slurm.conf" <<EOF
ClusterName=avetest
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$CTL_PORT
SlurmdPort=$D_PORT
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$SD/munge.sock
StateSaveLocation=$SD/state
SlurmdSpoolDir=$SD/spool
SlurmctldPidFile=$SD/slurmctld.pid
SlurmdPidFile=$SD/slurmd.pid
SlurmctldLogFile=$SD/slurmctld.log
SlurmdLogFile=$SD/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=256
SchedulerParameters=batch_sched_delay=0
JobCompType=jobcomp/filetxt
JobCompLoc=$SD/jobcomp.txt
MinJobAge=3600
ReturnToService=2
MpiDefault=none
NodeName=avenode NodeHostname=localhost NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=2000 State=UNKNOWN
NodeName=ghost NodeAddr=192.0.2.1 CPUs=1 RealMemory=1000 State=DOWN Reason=not-a-real-node
PartitionName=debug Nodes=avenode Default=YES MaxTime=INFINITE State=UP
PartitionName=remote Nodes=ghost MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$SD/slurm.conf"
# first_error FILE...: the daemon's fatal line, else its first error line.
first_error() { { cat "$@" 2>/dev/null | grep -i fatal; cat "$@" 2>/dev/null | grep -i error; } | head -n 1; }
slurmctld -i 2>"$SD/ctld.err" || skip "slurmctld cannot start: $(first_error "$SD/ctld.err" "$SD/slurmctld.log")"
remember slurmctld
slurmd -N avenode 2>"$SD/d.err" || skip "slurmd cannot start: $(first_error "$SD/d.err" "$SD/slurmd.log")"
remember slurmd
for _ in $(seq 100); do
  [ "$(sinfo -h -p debug -o %t 2>/dev/null)" = idle ] && break
  sleep 0.1
done
[ "$(sinfo -h -p debug -o %t 2>/dev/null)" = idle ] ||
  skip "the local Slurm node did not come up: $(tail -n 2 "$SD/slurmctld.log" "$SD/slurmd.log" 2>/dev/null | tr '\n' ' ')"

phase "cluster up"
# --- inputs: 2.5 s clips with a flite phrase --------------------------------
export AI_VIDEO_EDITOR_ENABLE_CACHING=0
# No check looks at thumbnails or PSNR.
FAST=(--asr off --quality low --mode fast --no-parallel --no-thumbnails --no-measure-quality)
clip() {
  flite -t "$2" -o "$WORK/$1.wav"
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=320x180:rate=25" \
    -i "$WORK/$1.wav" -map 0:v -map 1:a -af apad -t 2.5 -c:v libx264 -preset ultrafast \
    -pix_fmt yuv420p -c:a aac -b:a 64k "$WORK/$1.mp4"
}
IN="$WORK/in"
mkdir -p "$IN"
clip a "The first clip runs on the cluster."
clip b "Here is the second clip."
clip c "And the third one ends the batch."
cp "$WORK/a.mp4" "$WORK/b.mp4" "$WORK/c.mp4" "$IN/"
head -c 30000 "$WORK/a.mp4" >"$IN/d.mp4" # truncated: no moov box
OD="$WORK/out"
db() { sqlite3 "$1/.ave-batch/jobs.sqlite" "$2"; }
meta() { jq -r "$2" "$1/analytics/performance_metrics.json"; }
# wait_job JOB: until Slurm has no queued or running task of JOB (60 s at most).
wait_job() {
  for _ in $(seq 300); do
    [ -z "$(squeue -h -j "$1" -t PENDING,RUNNING,COMPLETING,CONFIGURING 2>/dev/null)" ] && return 0
    sleep 0.2
  done
  fail "job $1 still in the queue after 60 s"
}
job_of() { sed -n 's/^submitted Slurm job \([0-9]*\):.*/\1/p' <<<"$1"; }

phase "clips made"
# --- refusals: one line, documented exit code, nothing submitted -----------
run_ave batch "$IN" --output "$OD" --engine slurm --partition nope "${FAST[@]}"
assert_eq "unknown partition: exit code" "$RC" 2
assert_true "unknown partition: named, with the real ones" grep -q "nope: no such Slurm partition (there are: debug, remote)" <<<"$ERR"
PATH_NOSLURM=$(tr ':' '\n' <<<"$PATH" | grep -v -e '^/usr/bin$' -e '^/bin$' | paste -sd: -)
set +e
PATH="$PATH_NOSLURM" "$AVE_BIN" batch "$IN" --output "$OD" --engine slurm "${FAST[@]}" 2>"$WORK/err-nosbatch"
RC=$?
set -e
assert_eq "no sbatch: exit code" "$RC" 2
assert_true "no sbatch: says so" grep -q "sbatch not found in PATH" "$WORK/err-nosbatch"
run_ave batch "$IN" --output /dev/shm/ave-slurm-test-$$ --engine slurm --partition remote "${FAST[@]}"
assert_eq "node-local output: exit code" "$RC" 4
assert_true "node-local output: explained" grep -q "not visible to the nodes of partition remote" <<<"$ERR"
assert_true "node-local output: not created" test ! -e /dev/shm/ave-slurm-test-$$
assert_eq "nothing was submitted" "$(squeue -h | wc -l)" 0

# --- dry run: the script, nothing submitted -----------------------------------
run_ave batch "$IN" --output "$OD" --engine slurm --max-parallel 2 --timeout 100 --dry-run "${FAST[@]}"
assert_eq "dry run exit code" "$RC" 0
assert_true "dry run: array of 4, 2 at once" grep -qx "#SBATCH --array=0-3%2" <<<"$OUT"
assert_true "dry run: 1 CPU with --no-parallel" grep -qx "#SBATCH --cpus-per-task=1" <<<"$OUT"
assert_true "dry run: 256 MB floor for 180p clips" grep -qx "#SBATCH --mem=256M" <<<"$OUT"
assert_true "dry run: --time = ceil((100 + 15) / 60) min" grep -qx "#SBATCH --time=2" <<<"$OUT"
assert_true "dry run: runs process with the flags" grep -q "process \"\$in\" --output \"\$out\" '--asr' 'off' .* --timeout=100 --no-progress" <<<"$OUT"
assert_eq "dry run: nothing submitted" "$(squeue -h | wc -l)" 0

phase "refusals and dry run checked"
# --- 1. one array for 4 inputs, one corrupt -----------------------------------
run_ave batch "$IN" --output "$OD" --engine slurm --max-parallel 2 "${FAST[@]}"
assert_eq "submit exit code" "$RC" 0
J1=$(job_of "$OUT")
assert_true "submit: job id printed ($OUT)" test -n "$J1"
assert_true "throttle %2 in Slurm" grep -q 'ArrayTaskThrottle=2' <<<"$(scontrol show job -o "$J1")"
assert_eq "table: job and task ids" "$(db "$OD" "select group_concat(external_job||'_'||external_task, ' ') from jobs order by id")" \
  "${J1}_0 ${J1}_1 ${J1}_2 ${J1}_3"
wait_job "$J1"
phase "array 1 finished"
run_ave batch --status "$OD"
assert_eq "status exit code: the corrupt input's" "$RC" 3
assert_true "status: 3 done 1 failed" grep -q "^3 done, 1 failed, 0 running, 0 queued" <<<"$OUT"
for n in a b c; do
  assert_true "$n: edited video" test -s "$OD/$n/video/edited.mp4"
  assert_near "$n: input duration in metrics" "$(meta "$OD/$n" .input_duration)" 2.5 0.05
  assert_near "$n: edited duration" "$(media_duration "$OD/$n/video/edited.mp4")" \
    "$(meta "$OD/$n" .output_duration)" 0.1
done
assert_eq "d: failed with the input's exit code" "$(db "$OD" "select state||','||exit_code from jobs where input like '%d.mp4'")" "failed,3"
assert_true "d: error names the file and cause" grep -q "d.mp4.*moov" <<<"$(db "$OD" "select last_error from jobs where input like '%d.mp4'")"
assert_eq "result files: exit codes" "$(for t in 0 1 2 3; do cut -d' ' -f1 "$OD/.ave-batch/slurm/${J1}_$t.exit"; done | paste -sd,)" "0,0,0,3"
assert_eq "summary counts" "$(jq -c '[.counts.done, .counts.failed]' "$OD/batch_summary.json")" "[3,1]"
overlap=$(cat "$OD"/.ave-batch/slurm/"${J1}"_*.exit | awk '{s[NR]=$2; e[NR]=$3} END {m=0; for (i in s) {c=0; for (j in s) if (s[j] <= s[i] && e[j] > s[i]) c++; if (c > m) m = c}; print m}')
assert_true "at most 2 tasks at once (saw $overlap)" test "$overlap" -le 2

# --- 2. the re-run resubmits only what is not done; scancel; re-run ----------
# d repaired and e new: the re-run submits exactly those two (a, b, c are
# done), one at a time; d is cancelled while it runs and e while it waits,
# and the next re-run completes both.
# d is a minute long so that it is still running when the test cancels it
# (a 2.5 s clip can finish between the status check and scancel; 30 s would
# take ~4 s to process, 7 s under ASan: too little margin on a loaded CI).
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=320x180:rate=25" \
  -f lavfi -i "sine=frequency=300:sample_rate=48000" -t 60 -c:v libx264 -preset ultrafast \
  -pix_fmt yuv420p -c:a aac -b:a 64k "$IN/d.mp4"
cp "$WORK/c.mp4" "$IN/e.mp4"
before=$(stat -c %y "$OD/a/analytics/performance_metrics.json")
run_ave batch "$IN" --output "$OD" --engine slurm --max-parallel 1 "${FAST[@]}"
assert_eq "re-run exit code" "$RC" 0
J2=$(job_of "$OUT")
assert_true "re-run: an array of two tasks, one at a time" grep -q "array 0-1%1" <<<"$OUT"
assert_eq "re-run: 3 skipped" "$(grep -c 'skip' <<<"$ERR")" 3
assert_eq "re-run: only d and e submitted" "$(db "$OD" "select group_concat(external_job||'_'||external_task||':'||attempts, ' ') from jobs order by id")" \
  "${J1}_0:1 ${J1}_1:1 ${J1}_2:1 ${J2}_0:2 ${J2}_1:1"
for _ in $(seq 100); do
  [ "$(squeue -h -j "$J2" -t RUNNING | wc -l)" = 1 ] && break
  sleep 0.1
done
run_ave batch --status --output "$OD"
assert_true "running array: d running, e queued ($(tail -n 1 <<<"$OUT"))" grep -q "^3 done, 0 failed, 1 running, 1 queued" <<<"$OUT"
phase "array 2 running"
scancel "$J2"
wait_job "$J2"
run_ave batch --status "$OD"
assert_eq "cancelled: status exit code" "$RC" 130
assert_eq "cancelled: d and e failed (cancelled)" "$(db "$OD" "select group_concat(state||':'||exit_code, ' ') from jobs where external_job='$J2'")" "failed:130 failed:130"
assert_true "cancelled: reason shown" grep -q "cancelled in Slurm" <<<"$OUT"
run_ave batch "$IN" --output "$OD" --engine slurm --max-parallel 2 "${FAST[@]}"
J3=$(job_of "$OUT")
assert_true "after scancel: d and e resubmitted" grep -q "array 0-1%2" <<<"$OUT"
wait_job "$J3"
phase "array 3 finished"
run_ave batch --status "$OD"
assert_eq "after scancel: exit code" "$RC" 0
assert_true "after scancel: all done" grep -q "^5 done, 0 failed, 0 running, 0 queued" <<<"$OUT"
assert_near "d: input duration" "$(meta "$OD/d" .input_duration)" 60 0.05
assert_near "e: input duration" "$(meta "$OD/e" .input_duration)" 2.5 0.05
assert_eq "d, e: attempts" "$(db "$OD" "select group_concat(attempts, ',') from jobs where external_job='$J3'")" "3,2"
assert_eq "a: untouched" "$(stat -c %y "$OD/a/analytics/performance_metrics.json")" "$before"
assert_eq "no staging folders left" "$(find "$OD" -name '.ave-partial-*' | wc -l)" 0

finish
