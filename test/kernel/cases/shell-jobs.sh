# Background jobs, wait, kill, timeout and tail --pid, in virtual time.
mount -t tmpfs tmpfs /tmp
sleep 0.2 & echo started; wait $!; echo waited $?
sleep 5 & kill $!; wait $!; echo status $?
sleep 0.1 & p=$!; sleep 0.3; kill $p; echo kill $?
kill
wait 999999
timeout 1 sleep 3; echo status $?
timeout 3 sleep 0.2; echo status $?
timeout 0.3 sleep 3 & wait $!; echo $?
sleep 0.3 & echo $! >/tmp/s.pid
tail -s 0.1 --pid=$(cat /tmp/s.pid) -f /dev/null; echo done $?
wait $(cat /tmp/s.pid)
timeout 1 bash -c 'sleep 3; echo never'
timeout 1 bash -c 'echo first; sleep 3'
timeout -s INT 1 sleep 3; echo $?
timeout
timeout 1
false & wait $!; echo $?
echo background >/tmp/bg & wait; cat /tmp/bg
sleep x
sleep
wait; echo nothing to wait for $?
echo $!
