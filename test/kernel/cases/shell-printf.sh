# bash's printf: %s, %d and %% conversions, the escapes, the format reused for extra arguments.
printf 'a %s b\n' x y
printf '%d%%\n' 42
printf '%s\t%s\n' one two three
printf 'plain\n' ignored
printf '%s\n'
printf
