# tcpdump rejects a dotted address with an octet above 255 while it compiles the filter,
# because libpcap's scanner reads any dotted number as an IPv4 address and __pcap_atoin fails:
# "invalid IPv4 address", exit status 1. It compiles after it opened the link, so a missing
# link is reported first. n1 has link p1.
ip netns add n1
ip link add v1 type veth peer name p1 netns n1
ip netns exec n1 ip link set p1 up
ip netns exec n1 timeout 1 tcpdump -n -i p1 host 10.0.0.300
ip netns exec n1 timeout 1 tcpdump -n -i p1 src 10.0.0.256
ip netns exec n1 timeout 1 tcpdump -n -i p1 icmp and dst host 256.1.1.1
ip netns exec n1 timeout 1 tcpdump -n -i p9 host 10.0.0.300
ip netns exec n1 timeout 1 tcpdump -i p1 host 10.0.0.300
ip netns exec n1 timeout 1 tcpdump -n -i p1 host 10.0.300
ip netns exec n1 timeout 1 tcpdump -n -i p1 net 10.0.0.300/24
