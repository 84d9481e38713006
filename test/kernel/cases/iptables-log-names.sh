# iptables -L without -n names the LOG level; with -n it prints the numbers.
iptables -A INPUT -j LOG --log-prefix "drop: "
iptables -A INPUT -j LOG --log-level 0
iptables -A INPUT -j LOG --log-level 1
iptables -A INPUT -j LOG --log-level 2
iptables -A INPUT -j LOG --log-level 3
iptables -A INPUT -j LOG --log-level 5
iptables -A INPUT -j LOG --log-level 6
iptables -A INPUT -j LOG --log-level debug
iptables -L INPUT
iptables -L INPUT -n
ip neigh show proxy
