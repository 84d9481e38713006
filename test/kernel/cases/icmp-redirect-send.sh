# A router that forwards a packet back out of the link it came in on, to a source on that
# link, sends the source an ICMP redirect before it forwards the packet (__mkroute_input sets
# IPSKB_DOREDIRECT, ip_forward calls ip_rt_send_redirect). ping prints it as "Redirect Host" and
# does not count it as an error, and tcpdump shows it between the request and the reply. The
# source acts on it in __ip_do_redirect. The host a resolves
# the new gateway with an ARP request of its own and ends with g REACHABLE, and g learns a's MAC
# from that request. h forwards, so conf.all.accept_redirects went to 0 and h ignores the
# redirect: g has to ask for h's MAC, from 203.0.113.8, the source of its reply, which h keeps
# as a STALE entry. n is sent to 10.0.0.9, which does not answer ARP, so n ends with a FAILED
# entry. Each host gets one redirect, so the backoff between redirects to one host never comes
# into play.
ip netns add r
ip netns add g
ip netns add a
ip netns add h
ip netns add n
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip netns exec r ip link add lan type bridge
ip netns exec r ip link set lan up
ip netns exec r ip addr add 10.0.0.1/24 dev lan
ip netns exec r ip link add pg type veth peer name eth0 netns g
ip netns exec r ip link add pa type veth peer name eth0 netns a
ip netns exec r ip link add ph type veth peer name eth0 netns h
ip netns exec r ip link add pn type veth peer name eth0 netns n
ip netns exec r ip link set pg master lan
ip netns exec r ip link set pa master lan
ip netns exec r ip link set ph master lan
ip netns exec r ip link set pn master lan
ip netns exec r ip link set pg up
ip netns exec r ip link set pa up
ip netns exec r ip link set ph up
ip netns exec r ip link set pn up
ip netns exec r ip route add 203.0.113.0/24 via 10.0.0.3
ip netns exec r ip route add 198.51.100.0/24 via 10.0.0.9
ip netns exec g ip addr add 10.0.0.3/24 dev eth0
ip netns exec g ip addr add 203.0.113.8/32 dev lo
ip netns exec g ip link set eth0 up
ip netns exec g ip link set lo up
ip netns exec a ip addr add 10.0.0.2/24 dev eth0
ip netns exec a ip link set eth0 up
ip netns exec a ip route add default via 10.0.0.1
ip netns exec h sysctl -qw net.ipv4.ip_forward=1
ip netns exec h ip addr add 10.0.0.4/24 dev eth0
ip netns exec h ip link set eth0 up
ip netns exec h ip route add default via 10.0.0.1
ip netns exec n ip addr add 10.0.0.5/24 dev eth0
ip netns exec n ip link set eth0 up
ip netns exec n ip route add default via 10.0.0.1
ip netns exec a timeout 3 tcpdump -l -n -c 3 -i eth0 icmp >/tmp/a-cap.txt 2>&1 & echo $! >/tmp/a-cap.pid; sleep 1
ip netns exec a ping -c 1 -W 1 203.0.113.8
ip netns exec a ip neigh
tail -s 0.2 --pid=$(cat /tmp/a-cap.pid) -f /dev/null; cat /tmp/a-cap.txt
ip netns exec h ping -c 1 -W 1 203.0.113.8
ip netns exec h ip neigh
ip netns exec n ping -c 1 -W 4 198.51.100.7
sleep 0.5
ip netns exec n ip neigh
ip netns exec r nstat -az IcmpOutRedirects IcmpOutDestUnreachs IpForwDatagrams
ip netns exec a nstat -az IcmpInRedirects IcmpInMsgs
ip netns exec h nstat -az IcmpInRedirects
