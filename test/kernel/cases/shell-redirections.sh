# Redirections, pipes, variables, command substitution and bash -c, on a private /tmp.
mount -t tmpfs tmpfs /tmp
echo one >/tmp/a; echo two >>/tmp/a; cat /tmp/a
cat /tmp/missing
cat /tmp/a /tmp/missing; echo status $?
echo x >/tmp/nodir/f
cat </tmp/a
cat </tmp/missing
cat /tmp/missing 2>/tmp/err; cat /tmp/err
cat /tmp/missing >/tmp/both 2>&1; cat /tmp/both
cat /tmp/missing 2>&1 >/tmp/out1; cat /tmp/out1
cat /tmp/missing &>/dev/null; echo $?
echo hidden >/dev/null
echo piped | cat
echo a b | cat - /tmp/a
X=hello; echo $X ${X}-world "$X" '$X' "${X}s"
echo "$(cat /tmp/a)" $(cat /tmp/a) end
false; echo $?
false | true; echo $?
true | false
true && echo yes || echo no
false && echo yes || echo no
echo a |
; echo b
echo a && ;
echo a &&
echo a >
bash -c 'echo in bash; false'
bash -c 'nosuchcmd'
sh -c 'echo via sh'
bash -c 'cat /tmp/missing'
bash -c "echo 'unterminated"
nosuchcmd
echo $UNSET_VAR end
cat </dev/null; echo empty $?
echo a > /tmp/c; echo b >> /tmp/c; cat /tmp/c /tmp/c
