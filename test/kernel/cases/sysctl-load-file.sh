# sysctl -p FILE (procps-ng 4.0.2) reads every file before it writes anything: an unreadable
# file and each line without "=" are reported first, in file order, then each setting is
# written as "sysctl -w NAME=VALUE" writes it and echoed unless -q. Blank lines and lines that
# start with # or ; are skipped, names and values are trimmed, and a leading - on a name is
# dropped. An unreadable file or a failed write makes the exit status 1, a line without "=" does
# not. -p takes a file only when it is attached (-pFILE), -f and --load=FILE are the same
# option, and with -p every operand is a file.
ip link add v0 type veth peer name v1
printf 'net.ipv4.ip_forward = 1\n# a comment\n; another\n\n  net.ipv4.conf.all.rp_filter=2\nnet.ipv4.conf.v0.rp_filter = 1 \n' > /tmp/a.conf
printf 'net.ipv4.nosuch = 1\nnet.ipv4.ip_forward = 7\nnet.ipv4.conf.v1.rp_filter\n-net.ipv4.nosuch2 = 1\nnet.ipv4.conf.v1.arp_ignore = 2\n' > /tmp/b.conf
printf 'net.ipv4.ip_forward = abc\nnet.ipv4.ip_forward =\n = 1\nnet.ipv4.ip_forward=1=2\n' > /tmp/c.conf
sysctl -p /tmp/a.conf
sysctl -p /tmp/b.conf
sysctl -p /tmp/c.conf
sysctl -p /tmp/a.conf /tmp/b.conf
sysctl -q -p /tmp/a.conf
sysctl -qp /tmp/b.conf
sysctl -p /tmp/b.conf -q
sysctl -w -p /tmp/a.conf
sysctl -p/tmp/a.conf
sysctl --load=/tmp/a.conf
sysctl -f /tmp/a.conf
sysctl -e -p /tmp/b.conf
sysctl -n -p /tmp/a.conf
sysctl -p /tmp/missing.conf
sysctl -p /tmp/missing.conf /tmp/a.conf
sysctl net.ipv4.ip_forward net.ipv4.conf.all.rp_filter net.ipv4.conf.v0.rp_filter net.ipv4.conf.v1.arp_ignore
