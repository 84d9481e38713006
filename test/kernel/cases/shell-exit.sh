# bash's exit builtin: the status it ends the shell with, its errors, and $? after $(...).
bash -c 'echo a; exit 3; echo b'; echo $?
exit 4
exit
false; exit
echo $(exit 5) $?
exit abc
exit 1 2
exit -1
bash -c 'exit 300'
true && exit 6 || echo no
