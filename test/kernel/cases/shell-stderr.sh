# Which messages the tools print on stderr: each command runs twice, with stderr and then
# stdout thrown away, so the transcript shows what went to the other stream.
iptables-save -t nosuch 2>/dev/null
iptables-save -t nosuch >/dev/null
iptables-save -x 2>/dev/null
iptables-save foo 2>/dev/null
sysctl net.ipv4.nosuch 2>/dev/null
sysctl -w net.ipv4.ip_forward 2>/dev/null
sysctl -w net.ipv4.ip_forward=1 >/dev/null
ping -c 1 -W 1 10.9.9.9 2>/dev/null
ping -c 1 -W 1 10.9.9.9 >/dev/null
ip route get 10.0.0.0/24 2>/dev/null
ip route get 10.0.0.0/24 >/dev/null
ip link show nosuch 2>/dev/null
ip link show nosuch >/dev/null
iptables -L NOSUCH 2>/dev/null
iptables -L NOSUCH >/dev/null
traceroute 2>/dev/null
traceroute >/dev/null
ip addr add 10.0.0.1/24 dev lo
ping -c 1 -W 1 10.0.0.1 2>/dev/null | cat
nosuchcmd 2>/dev/null
