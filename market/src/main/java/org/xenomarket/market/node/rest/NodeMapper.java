package org.xenomarket.market.node.rest;

import org.xenomarket.market.lease.Lease;
import org.xenomarket.market.node.AgentRegistration;
import org.xenomarket.market.node.GuestReport;
import org.xenomarket.market.image.HeldFile;
import org.xenomarket.market.node.Heartbeat;
import org.xenomarket.market.node.LeaseReport;
import org.xenomarket.market.node.service.Heartbeats;
import org.xenomarket.market.node.service.LeaseAssignments;
import org.xenomarket.market.node.service.NodeRegistration;
import org.xenomarket.pricing.ResourceVector;

/** Node agents' requests and answers between the wire and the domain. */
public final class NodeMapper {

    private NodeMapper() {
    }

    public static AgentRegistration toRegistration(RegisterNodeRequest request) {
        HostCapacityJson host = request.capacity();
        return new AgentRegistration(request.serverId(), request.publicKey(), request.hypervisor(),
                new ResourceVector(host.vcpus(), host.memoryMib(), host.diskGib()));
    }

    public static Heartbeat toHeartbeat(HeartbeatRequest request) {
        FreeCapacityJson free = request.free();
        return new Heartbeat(new ResourceVector(free.vcpus(), free.memoryMib(), free.diskGib()),
                request.guests().stream().map(g -> new GuestReport(g.leaseId(), g.state())).toList(),
                request.images() == null ? null
                        : request.images().stream().map(f -> new HeldFile(f.sha256(), f.sizeBytes())).toList(),
                request.imagePeerUrl());
    }

    public static LeaseReport toReport(LeaseReportRequest request) {
        return new LeaseReport(request.state(), request.reason(), request.cause());
    }

    public static RegisteredNodeView toView(NodeRegistration.Registered node) {
        return new RegisteredNodeView(node.id(), node.serverId(), node.token(), node.heartbeatInterval().toSeconds(),
                node.registeredAt(), node.nextUsageSequence());
    }

    public static HeartbeatView toView(Heartbeats.Answer answer) {
        return new HeartbeatView(answer.serverState(), answer.stopGuests());
    }

    public static LeaseAssignmentView toView(LeaseAssignments.Assignment assignment) {
        return LeaseAssignmentView.of(assignment.lease(), assignment.limits(), assignment.image(),
                assignment.imagePeers(), assignment.move());
    }

    /** A lease as a report's answer shows it: without the limits, which only the assignment list carries. */
    public static LeaseAssignmentView toView(Lease lease) {
        return LeaseAssignmentView.of(lease);
    }
}
