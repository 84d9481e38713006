# timeout -s KILL signals its whole process group, itself included, so bash reports the killed
# job on its own stderr. A redirection of the command's stderr does not hide that line. Other
# signals, and --foreground, end timeout normally.
timeout -s KILL 1 sleep 5; echo "rc=$?"
timeout -s KILL 1 sleep 5 2>/dev/null; echo "rc=$?"
timeout 1 sleep 5; echo "rc=$?"
timeout --foreground -s KILL 1 sleep 5; echo "rc=$?"
