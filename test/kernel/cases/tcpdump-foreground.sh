# tcpdump run in the foreground without a background shell: the header on stderr, the
# statistics when timeout ends it, and the error texts and exit statuses for a missing
# interface, an unknown option, bad counts and bad filter expressions. Two namespaces
# a (10.0.0.1) and b (10.0.0.2) on one veth pair.
ip netns add a
ip netns add b
ip link add eth0 netns a type veth peer name eth0 netns b
ip netns exec a ip addr add 10.0.0.1/24 dev eth0
ip netns exec b ip addr add 10.0.0.2/24 dev eth0
ip netns exec a ip link set eth0 up
ip netns exec b ip link set eth0 up
ip netns exec a timeout 1 tcpdump -n -i eth0 icmp
ip netns exec a timeout 1 tcpdump -l -nn -i eth0 icmp
ip netns exec a timeout 1 tcpdump -n -c 3 -i eth0 'tcp[tcpflags] == tcp-syn'
ip netns exec a timeout 1 tcpdump -n -v -i eth0 icmp
ip netns exec a timeout 1 tcpdump -n -e -i eth0 arp
ip netns exec a timeout 1 tcpdump -n -i nosuch
ip netns exec a timeout 1 tcpdump -n -i eth0 bogus
ip netns exec a timeout 1 tcpdump -n -i eth0 'host 10.0.0'
ip netns exec a timeout 1 tcpdump -n -i eth0 'port 99999'
ip netns exec a timeout 1 tcpdump -n -i eth0 'icmp and'
ip netns exec a timeout 1 tcpdump -n -i eth0 'tcp[tcpflags] == tcp-nope'
ip netns exec a timeout 1 tcpdump -n -i eth0 '(icmp'
ip netns exec a timeout 1 tcpdump -n -c 0 -i eth0 icmp
ip netns exec a timeout 1 tcpdump -n -c x -i eth0 icmp
ip netns exec a timeout 1 tcpdump -n -Q
ip netns exec a timeout 1 tcpdump -n -i
ip netns exec a timeout 1 tcpdump -n -i lo icmp
ip netns exec a timeout 1 tcpdump -n -i eth0 'icmp or arp or tcp or udp' and not host 10.0.0.9
ip netns exec a timeout 1 tcpdump -n -i eth0 'udp port 53'
ip netns exec a timeout 1 tcpdump -n -i eth0 src net 10.0.0.0/8 and dst port 80
ip netns exec a timeout 1 tcpdump -n -i eth0 'tcp[13] == 2'
