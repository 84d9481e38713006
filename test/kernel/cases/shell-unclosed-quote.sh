# A line that leaves a quote open is a bash syntax error (exit 2), and the next line runs.
echo start
echo "unterminated
echo after
echo 'single
echo "a\"b" # it's
echo it\'s
