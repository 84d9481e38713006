# Edge cases of the shell builtins and coreutils around background jobs and redirections.
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /nonexistent
wait x
X="a b"; echo x >$X
echo a 2>&1 >/dev/null
sleep 1 & kill -9 $!; wait $!; echo $?
sleep 1 & kill -s HUP $!; wait $!; echo $?
sleep 1 & kill -FOO $!; echo $?; kill $!
kill -s TERM abc
timeout x sleep 1
timeout -s FOO 1 sleep 1
tail --pid=abc -f /dev/null
X=$(false); echo $?
cat /tmp
echo x >/tmp
echo "a  b" | cat
echo $(echo "a  b")
echo "$(echo "a  b")"
Y=; echo "[$Y]" [$Y]
timeout 0 sleep 0.1; echo $?
sleep 0.1 0.1; echo $?
echo one >/tmp/f; cat /tmp/f - /tmp/f </tmp/f
