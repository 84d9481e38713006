# grep at the end of the pipelines that tutorials type: ip addr | grep inet, iptables -L | grep
# DROP, conntrack -L | grep 80 (whose summary line goes to stderr, around the pipe). GNU grep
# 3.8 reads a basic expression unless -E or -F: there + ? | ( ) { } are literal and their
# backslashed forms are operators, * first is literal, and only a leading ^ is an anchor. It
# exits 0 when it selected a line, 1 when none, 2 on an error.
mount -t tmpfs tmpfs /tmp
ip netns add c
ip link add br0 type bridge
ip link set br0 up
ip addr add 10.9.0.1/24 dev br0
ip addr add 10.9.1.1/24 dev br0
ip link add v1 type veth peer name eth0 netns c
ip link set v1 master br0
ip link set v1 up
ip netns exec c ip addr add 10.9.0.2/24 dev eth0
ip netns exec c ip link set eth0 up
sleep 2
iptables -A INPUT -p tcp --dport 22 -j ACCEPT
iptables -A INPUT -p icmp -j DROP
iptables -t nat -A POSTROUTING -s 10.9.0.0/24 -j MASQUERADE
ip -4 addr | grep inet
ip -4 addr | grep -c inet
ip -4 addr | grep -v inet
ip -4 addr | grep -n 'inet 10\.9\.'
ip -4 addr | grep -w lo
ip -4 addr | grep -i BR0
ip -4 addr | grep -E 'inet (10|127)\.[0-9]+'
ip -4 addr | grep 'scope \(host\|global\)'
ip -4 addr | grep -x '    inet 127.0.0.1/8 scope host lo'
ip -4 addr | grep -q inet; echo $?
ip -4 addr | grep nothing-here; echo $?
ip -4 addr | grep -F '10.9.0.'
ip -4 addr | grep -e lo -e br0
ip -4 addr | grep '[[:digit:]]\{2\}\.9'
ip -4 addr | grep -E '^[0-9]+:'
ip -4 addr | grep '^[0-9]*:'
ip -4 addr | grep 'inet.*br0$'
ip -4 addr | grep inet -c
ip -4 addr | grep 'lo\>'
ip -4 addr | grep -o 'inet [0-9.]*'
ip route | grep -v kernel
ip route | grep 'proto kernel' | grep -c br0
sysctl net.ipv4.ip_forward | grep -o '[0-9]$'
iptables -L INPUT -n | grep DROP
iptables -L -n --line-numbers | grep -i accept
iptables-save | grep -v '^#'
iptables-save -t nat | grep -- '-A'
ip netns exec c ping -c 1 -W 1 10.9.0.1 | grep -E 'transmitted|received'
conntrack -L 2>/dev/null | grep -c 10.9.0.2
ip neigh | grep -w REACHABLE
bridge fdb show | grep -v permanent
printf 'a+b\nab\naab\n^x\nx$y\n(c)\nlo lo0\n' > /tmp/t.txt
grep 'a+b' /tmp/t.txt
grep 'a\+b' /tmp/t.txt
grep -E 'a+b' /tmp/t.txt
grep -E 'a\+b' /tmp/t.txt
grep '^^x' /tmp/t.txt
grep 'x$y' /tmp/t.txt
grep '*b' /tmp/t.txt
grep '\(a\|c\)b' /tmp/t.txt
grep -o 'lo[0-9]' /tmp/t.txt
grep -vc a /tmp/t.txt
grep '\d' /tmp/t.txt
grep -n -o 'a*b' /tmp/t.txt
grep inet /tmp/nosuch
grep -c a /tmp/t.txt /tmp/nosuch
grep -h lo /tmp/t.txt /tmp/t.txt
grep lo /tmp/t.txt /tmp/t.txt
grep
grep -s inet /tmp/nosuch
grep --count a /tmp/t.txt
grep inet /tmp
