# tcpdump captures running in the background while pings and a traceroute cross them:
# n1 (10.9.0.2) and n2 (10.9.0.3) on bridge br0 (10.9.0.1). Probes: a capture on the
# bridge (promiscuous, so it also shows unicast between two ports), -e and ARP on a veth
# end, lo (each looped packet once, but counted twice by the kernel's filter), a UDP probe
# and its port unreachable, -c 1 (singular statistics, no blank line) and a capture that
# timeout ends (blank line before the statistics). Each capture writes to a file on a
# private tmpfs, printed once the capture has ended.
mount -t tmpfs tmpfs /tmp
ip netns add n1
ip netns add n2
ip link add br0 type bridge
ip link set br0 up
ip link add v1 type veth peer name p1 netns n1
ip link add v2 type veth peer name p2 netns n2
ip link set v1 master br0
ip link set v2 master br0
ip link set v1 up
ip link set v2 up
ip addr add 10.9.0.1/24 dev br0
ip netns exec n1 ip addr add 10.9.0.2/24 dev p1
ip netns exec n1 ip link set p1 up
ip netns exec n1 ip link set lo up
ip netns exec n2 ip addr add 10.9.0.3/24 dev p2
ip netns exec n2 ip link set p2 up
timeout 3 tcpdump -l -n -i br0 icmp or arp >/tmp/br.txt 2>&1 & sleep 1
ip netns exec n1 ping -c 1 -W 1 10.9.0.3
ip netns exec n1 ping -c 1 -W 1 10.9.0.1
sleep 3; cat /tmp/br.txt
ip netns exec n1 ip neigh flush dev p1
ip netns exec n1 timeout 3 tcpdump -l -n -e -c 2 -i p1 arp >/tmp/arp.txt 2>&1 & sleep 1
ip netns exec n1 ping -c 1 -W 1 10.9.0.3
sleep 3; cat /tmp/arp.txt
ip netns exec n1 timeout 3 tcpdump -l -n -i lo icmp >/tmp/lo.txt 2>&1 & sleep 1
ip netns exec n1 ping -c 1 -W 1 127.0.0.1
sleep 3; cat /tmp/lo.txt
ip netns exec n2 timeout 3 tcpdump -l -n -c 2 -i p2 udp or icmp >/tmp/udp.txt 2>&1 & sleep 1
ip netns exec n1 traceroute -n -q 1 -w 1 -m 1 10.9.0.3
sleep 3; cat /tmp/udp.txt
ip netns exec n2 timeout 3 tcpdump -l -n -c 1 -i p2 'icmp[icmptype] == icmp-echo' >/tmp/one.txt 2>&1 & sleep 1
ip netns exec n1 ping -c 2 -W 1 10.9.0.3
sleep 3; cat /tmp/one.txt
