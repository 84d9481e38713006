# TCP connects with nc -z: refused by a closed port, no route, a failed ARP resolution, a
# SYN dropped by the target's INPUT chain (nc's -w timeout, and connect()'s own timeout
# after net.ipv4.tcp_syn_retries), REJECT's answers, and nc's usage errors. Namespaces a
# (10.0.0.1) and b (10.0.0.2) on one veth pair. The SYN counters show the retransmission
# timer: SYNs at 0, 1, 3 and 7 s.
ip netns add a
ip netns add b
ip link add va type veth peer name vb
ip link set va netns a
ip link set vb netns b
ip netns exec a ip addr add 10.0.0.1/24 dev va
ip netns exec b ip addr add 10.0.0.2/24 dev vb
ip netns exec a ip link set va up
ip netns exec b ip link set vb up
ip netns exec a ip link set lo up
ip netns exec b ip link set lo up
ip netns exec a nc -z -v -w 1 10.0.0.2 80
ip netns exec a nc -z -w 1 10.0.0.2 80
ip netns exec a nc -zv -w 1 10.0.0.2 22
ip netns exec a nc -z -v -w 1 10.0.0.1 8080
ip netns exec a nc -z -v -w 1 127.0.0.1 443
ip netns exec a nc -z -v -w 1 10.9.9.9 80
ip netns exec a nc -z -w 1 10.9.9.9 80
ip netns exec a nc -z -v -w 2 10.0.0.9 80
ip netns exec a nc -z -v -w 5 10.0.0.9 80
ip netns exec b iptables -A INPUT -p tcp --dport 80 -j DROP
ip netns exec a nc -z -v -w 5 10.0.0.2 80
ip netns exec b iptables -L INPUT -n -v -x
ip netns exec a sysctl -w net.ipv4.tcp_syn_retries=2
ip netns exec a nc -z -v 10.0.0.2 80
ip netns exec b iptables -L INPUT -n -v -x
ip netns exec b iptables -R INPUT 1 -p tcp --dport 80 -j REJECT --reject-with tcp-reset
ip netns exec a nc -z -v -w 1 10.0.0.2 80
ip netns exec b iptables -R INPUT 1 -p tcp --dport 80 -j REJECT --reject-with icmp-host-unreachable
ip netns exec a nc -z -v -w 1 10.0.0.2 80
ip netns exec b iptables -R INPUT 1 -p tcp --dport 80 -j REJECT --reject-with icmp-net-prohibited
ip netns exec a nc -z -v -w 1 10.0.0.2 80
ip netns exec b iptables -L INPUT -n -v -x
ip netns exec a nc -z -v -w 1 10.0.0.2 81
ip netns exec a nc -Q 10.0.0.2 80
ip netns exec a nc -z -v -w 1 10.0.0.2
ip netns exec a nc -z -v -w 1 10.0.0.2 http
ip netns exec a nc -z -v -w 1 10.0.0.2 99999
ip netns exec a nc -z -v -w x 10.0.0.2 80
ip netns exec a sysctl -w net.ipv4.tcp_syn_retries=0
ip netns exec a sysctl -w net.ipv4.tcp_syn_retries=128
ip netns exec a sysctl -w net.ipv4.tcp_syn_retries=127
ip netns exec a sysctl -w net.ipv4.tcp_syn_linear_timeouts=-1
ip netns exec a sysctl -w net.ipv4.tcp_syn_linear_timeouts=128
ip netns exec a sysctl -w net.ipv4.tcp_syn_linear_timeouts=127
ip netns exec a sysctl net.ipv4.tcp_syn_retries net.ipv4.tcp_syn_linear_timeouts
